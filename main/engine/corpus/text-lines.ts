// Streams a text file as lines, checking every line for binary data and invalid UTF-8.
// We split bytes ourselves instead of using node:readline because readline decodes
// invalid bytes into U+FFFD without a word; here each line is checked before decoding,
// so an error can name its line. Memory stays at one chunk plus one partial line.
import { isUtf8 } from 'node:buffer';
import { UserError } from '../errors';
import { openRegularFileStream } from '../project/safe-open';

export interface LineBatch {
  /** Decoded lines, without the line break (LF or CRLF). */
  lines: string[];
  /** 1-based number of lines[0] in the file. */
  firstLine: number;
  /** Bytes of the file read so far. */
  bytesRead: number;
}

const CHUNK_BYTES = 256 << 10;
/** Longer lines are refused: a text corpus has no 64 MB sentence, and the line would sit in memory. */
export const MAX_LINE_BYTES = 64 << 20;
const LF = 0x0a;
const CR = 0x0d;

function checkNoNul(file: string, bytes: Buffer, lineNo: number): void {
  if (bytes.includes(0)) {
    throw new UserError(`${file}, line ${lineNo}: binary data (a NUL byte); expected a UTF-8 text file`);
  }
}

function decodeLine(file: string, bytes: Buffer, lineNo: number): string {
  checkNoNul(file, bytes, lineNo);
  if (!isUtf8(bytes)) throw new UserError(`${file}, line ${lineNo}: invalid UTF-8; save the file as UTF-8 text`);
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === CR) end -= 1;
  let text = bytes.toString('utf8', 0, end);
  if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** Lines of `file` in batches (one per chunk read). Stops reading when the consumer stops iterating. */
export async function* readLineBatches(file: string): AsyncGenerator<LineBatch> {
  // Opened non-blocking and checked to be a regular file: a FIFO would block a pool thread.
  const { stream } = await openRegularFileStream(file, { missing: `${file}: no such file`, highWaterMark: CHUNK_BYTES });
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let lineNo = 1;
  let bytesRead = 0;
  try {
    for await (const data of stream) {
      const chunk = data as Buffer;
      bytesRead += chunk.length;
      const lines: string[] = [];
      const firstLine = lineNo;
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(LF, start);
        if (nl < 0) break;
        let piece = chunk.subarray(start, nl);
        if (carryBytes > 0) {
          carry.push(piece);
          piece = Buffer.concat(carry);
          carry = [];
          carryBytes = 0;
        }
        lines.push(decodeLine(file, piece, lineNo));
        lineNo += 1;
        start = nl + 1;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        // Binary input rarely has line breaks: catch it here instead of buffering it all.
        checkNoNul(file, rest, lineNo);
        carry.push(Buffer.from(rest));
        carryBytes += rest.length;
        if (carryBytes > MAX_LINE_BYTES) {
          throw new UserError(`${file}, line ${lineNo}: line longer than ${MAX_LINE_BYTES >> 20} MB; is this a text corpus?`);
        }
      }
      yield { lines, firstLine, bytesRead };
    }
    if (carryBytes > 0) {
      yield { lines: [decodeLine(file, Buffer.concat(carry), lineNo)], firstLine: lineNo, bytesRead };
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${file}: no such file`);
    if (code === 'EISDIR') throw new UserError(`${file}: is a folder, not a regular file`);
    if (code === 'EACCES') throw new UserError(`${file}: permission denied`);
    throw err;
  } finally {
    stream.destroy();
  }
}

/** The first `max` non-empty lines (for format detection), read without loading the whole file. */
export async function firstNonEmptyLines(file: string, max: number): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of readLineBatches(file)) {
    for (const line of batch.lines) {
      if (line.trim() !== '') out.push(line);
      if (out.length >= max) return out;
    }
  }
  return out;
}
