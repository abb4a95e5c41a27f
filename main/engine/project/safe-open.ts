// Opening the files the engine reads so that no open can block. A plain open() of a FIFO
// waits for a writer, and it waits on a thread of libuv's process-wide pool, which neither
// a job's cancel nor terminating its worker frees: four such opens stall every other file
// call of the process (the server's included). So every read goes through here: the file
// is opened non-blocking (O_NONBLOCK; harmless for a regular file), fstat'ed through the
// descriptor, and refused unless it is a regular file. Symbolic links are followed: the
// check is of what was opened, not of the name. Whole-file reads have a size limit.
import { constants, promises as fs, type Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import { formatBytes } from '../../../shared/format';
import { UserError } from '../errors';

/** O_NONBLOCK where the platform has it (not on Windows, where named pipes are not files on disk). */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

const MiB = 1024 * 1024;
/** Largest text or JSON file read whole (a V8 string holds at most about 512 MiB of text). */
export const MAX_TEXT_FILE_BYTES = 256 * MiB;
/** Largest binary file read whole by default (Node reads at most 2 GiB − 1 bytes in one piece). */
export const MAX_BINARY_FILE_BYTES = 2 ** 31 - 1;

export interface SafeOpenOptions {
  /** What the file is, for messages ('vocabulary file', 'model.json'); default 'file'. */
  what?: string;
  /** The whole message for a missing file; default `<file>: <what> not found`. */
  missing?: string;
}

export interface WholeFileOptions extends SafeOpenOptions {
  /** Refuse files larger than this many bytes (default MAX_TEXT_FILE_BYTES for text, MAX_BINARY_FILE_BYTES for bytes). */
  maxBytes?: number;
}

/** 'a FIFO (named pipe)', 'a folder', … for a file that is not a regular one. */
export function describeFileType(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** The refusal for a path that exists but is not a regular file. */
export function notRegularFileError(file: string, st: Stats, what = 'file'): UserError {
  const kind = describeFileType(st);
  const is = kind.startsWith('not ') ? kind : `is ${kind}`;
  return new UserError(`${file}: ${is}, not a regular file; expected a ${what}`);
}

/** The UserError for a failed open or read; it keeps the system's error code (`code`) for callers that look at it. */
function openError(file: string, err: unknown, opts: SafeOpenOptions): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const user = userOpenError(file, err, opts);
  return user instanceof UserError ? Object.assign(user, { code }) : user;
}

function userOpenError(file: string, err: unknown, opts: SafeOpenOptions): Error {
  const what = opts.what ?? 'file';
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new UserError(opts.missing ?? `${file}: ${what} not found`);
    case 'EISDIR':
      return new UserError(`${file}: is a folder, not a regular file; expected a ${what}`);
    case 'ENOTDIR':
      return new UserError(`${file}: a part of the path is not a folder; expected a ${what}`);
    case 'EACCES':
    case 'EPERM':
      return new UserError(`${file}: permission denied reading ${what}`);
    case 'ELOOP':
      return new UserError(`${file}: too many symbolic links (a loop?); expected a ${what}`);
    case 'ENXIO':
      // Linux answers a non-blocking open of a UNIX socket this way.
      return new UserError(`${file}: is a socket or a device without a reader, not a regular file; expected a ${what}`);
    case 'ENAMETOOLONG':
      return new UserError(`${file}: the path is too long`);
    case 'EMFILE':
    case 'ENFILE':
      return new UserError(`${file}: cannot open ${what}: too many open files in this process or system`);
    default:
      // Whatever else the system refuses (EIO, …) is about this file, not a fault of Mnemoscope.
      if (typeof code === 'string') return new UserError(`${file}: cannot read ${what} (${code})`);
      return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * Opens `file` for reading without ever blocking, and checks through the descriptor that
 * it is a regular file. Every failure is a UserError naming the file; the caller closes
 * the returned handle.
 */
export async function openRegularFile(file: string, opts: SafeOpenOptions = {}): Promise<{ handle: fs.FileHandle; size: number }> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, READ_FLAGS);
  } catch (err) {
    throw openError(file, err, opts);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw notRegularFileError(file, st, opts.what);
    return { handle, size: st.size };
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
}

function tooLarge(file: string, size: number, limit: number, what: string): UserError {
  const have = size > limit ? formatBytes(size) : `more than ${formatBytes(limit)}`;
  return new UserError(`${file}: too large for a ${what} (${have}; the limit is ${formatBytes(limit)}); is this the right file?`);
}

/** Reads a whole regular file (opened as openRegularFile does), refusing one over `maxBytes`. */
export async function readRegularFile(file: string, opts: WholeFileOptions = {}): Promise<Buffer> {
  const what = opts.what ?? 'file';
  const limit = opts.maxBytes ?? MAX_BINARY_FILE_BYTES;
  const { handle, size } = await openRegularFile(file, opts);
  try {
    if (size > limit) throw tooLarge(file, size, limit, what);
    // Read to the end rather than trusting the size: the file may change while it is read.
    const chunks: Buffer[] = [];
    let total = 0;
    let want = Math.max(size, 1);
    for (;;) {
      const room = Math.min(want, limit + 1 - total);
      const buf = Buffer.allocUnsafe(room);
      const { bytesRead } = await handle.read(buf, 0, room, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === room ? buf : buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) throw tooLarge(file, total, limit, what);
      want = 64 * 1024;
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw openError(file, err, opts);
  } finally {
    await handle.close().catch(() => {});
  }
}

/** Reads a whole regular file as UTF-8 text, refusing one over `maxBytes` (default MAX_TEXT_FILE_BYTES). */
export async function readRegularTextFile(file: string, opts: WholeFileOptions = {}): Promise<string> {
  const bytes = await readRegularFile(file, { ...opts, maxBytes: opts.maxBytes ?? MAX_TEXT_FILE_BYTES });
  return bytes.toString('utf8');
}

/** A stream of a regular file's bytes (opened as openRegularFile does); destroying it closes the file. */
export async function openRegularFileStream(
  file: string,
  opts: SafeOpenOptions & { highWaterMark?: number } = {},
): Promise<{ stream: Readable; size: number }> {
  const { handle, size } = await openRegularFile(file, opts);
  const stream = handle.createReadStream({ highWaterMark: opts.highWaterMark, autoClose: true });
  return { stream, size };
}
