// numpy .npy files (format version 1.0), so a run's arrays open with np.load.
// Layout: magic "\x93NUMPY", version bytes 1 0, header length (uint16 LE), then an
// ASCII Python dict literal padded with spaces and ended by '\n' so that the data
// starts at a multiple of 64 bytes; then the raw little-endian data in C order.
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
import { endianness } from 'node:os';
import { UserError } from '../errors';
import { writeFileAtomic } from './atomic-write';
import { readRegularFile } from './safe-open';

export type NpyDtype = '<f4' | '<f8' | '<i4';
export type NpyData = Float32Array | Float64Array | Int32Array;
export type NpyArray =
  | { dtype: '<f4'; shape: number[]; data: Float32Array }
  | { dtype: '<f8'; shape: number[]; data: Float64Array }
  | { dtype: '<i4'; shape: number[]; data: Int32Array };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGN = 64;
const DTYPES: Record<NpyDtype, { bytes: number; make: (n: number) => NpyData }> = {
  '<f4': { bytes: 4, make: (n) => new Float32Array(n) },
  '<f8': { bytes: 8, make: (n) => new Float64Array(n) },
  '<i4': { bytes: 4, make: (n) => new Int32Array(n) },
};

// Typed arrays use the host's byte order; every platform Node ships for is little-endian.
function assertLittleEndianHost(): void {
  if (endianness() !== 'LE') throw new Error('.npy I/O assumes a little-endian machine');
}

export function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Int32Array) return '<i4';
  throw new TypeError('npy: data must be a Float32Array, Float64Array or Int32Array');
}

/** Python's repr of a tuple of ints: (), (5,), (2, 3). */
export function shapeRepr(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function checkDims(shape: readonly number[]): void {
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`npy: invalid dimension ${d} in shape [${shape}]`);
  }
}

/** The magic, version, length and padded header dict for an array of this dtype and shape. */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  checkDims(shape);
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeRepr(shape)}, }`;
  const unpadded = MAGIC.length + 2 + 2 + dict.length + 1; // + 1 for the final '\n'
  const padding = (ALIGN - (unpadded % ALIGN)) % ALIGN;
  const headerLen = dict.length + padding + 1;
  if (headerLen > 0xffff) throw new RangeError('npy: header too long for format version 1.0');
  const out = new Uint8Array(MAGIC.length + 4 + headerLen);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  out[8] = headerLen & 0xff;
  out[9] = headerLen >> 8;
  const text = dict + ' '.repeat(padding) + '\n';
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  return out;
}

function checkShape(data: NpyData, shape: readonly number[]): void {
  checkDims(shape);
  const n = elementCount(shape);
  if (n !== data.length) {
    throw new RangeError(`npy: shape [${shape}] holds ${n} elements but the data has ${data.length}`);
  }
}

function dataBytes(data: NpyData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The whole .npy file in memory (small arrays, tests). */
export function encodeNpy(data: NpyData, shape: readonly number[]): Uint8Array {
  assertLittleEndianHost();
  checkShape(data, shape);
  const header = npyHeader(dtypeOf(data), shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header, 0);
  out.set(dataBytes(data), header.length);
  return out;
}

/** Write an array as a .npy file, atomically; the data is not copied. */
export async function writeNpy(file: string, data: NpyData, shape: readonly number[]): Promise<void> {
  assertLittleEndianHost();
  checkShape(data, shape);
  await writeFileAtomic(file, [npyHeader(dtypeOf(data), shape), dataBytes(data)]);
}

type PyValue = string | boolean | number[];

/** Parse the header's Python dict literal: string keys; str, bool or int-tuple values. */
function parseHeaderDict(text: string, fail: (why: string) => never): Map<string, PyValue> {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const str = (): string => {
    const q = text[i];
    if (q !== "'" && q !== '"') fail(`expected a quoted string at header offset ${i}`);
    const end = text.indexOf(q, i + 1);
    if (end < 0) fail('unterminated string in header');
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const value = (): PyValue => {
    for (const [word, flag] of [['True', true], ['False', false]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return flag;
      }
    }
    if (text[i] === "'" || text[i] === '"') return str();
    if (text[i] !== '(') fail(`unsupported value at header offset ${i} (structured dtypes are not supported)`);
    i++;
    const dims: number[] = [];
    for (;;) {
      ws();
      if (text[i] === ')') break;
      const m = /^(\d+)L?/.exec(text.slice(i));
      if (!m) fail(`bad shape at header offset ${i}`);
      dims.push(Number(m[1]));
      i += m[0].length;
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== ')') fail(`bad shape at header offset ${i}`);
    }
    i++;
    return dims;
  };
  const dict = new Map<string, PyValue>();
  ws();
  if (text[i] !== '{') fail('header is not a dict');
  i++;
  for (;;) {
    ws();
    if (text[i] === '}') break;
    const key = str();
    ws();
    if (text[i] !== ':') fail(`expected ':' at header offset ${i}`);
    i++;
    ws();
    dict.set(key, value());
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail(`expected ',' or '}' at header offset ${i}`);
  }
  i++;
  if (text.slice(i).trim() !== '') fail('unexpected text after the header dict');
  return dict;
}

/** Parse a whole .npy file held in memory. `file` names it in errors. */
export function decodeNpy(bytes: Uint8Array, file: string): NpyArray {
  assertLittleEndianHost();
  const fail = (why: string): never => {
    throw new UserError(`${file}: invalid .npy file: ${why}`);
  };
  if (bytes.length < 10 || MAGIC.some((b, k) => bytes[k] !== b)) fail('it does not start with the .npy magic "\\x93NUMPY"');
  const [major, minor] = [bytes[6], bytes[7]];
  // Version 1.0 has a 2-byte header length; 2.0 and 3.0 (numpy writes them only for huge headers) 4 bytes.
  let headerStart: number;
  let headerLen: number;
  if (major === 1 && minor === 0) {
    headerStart = 10;
    headerLen = bytes[8] | (bytes[9] << 8);
  } else if ((major === 2 || major === 3) && minor === 0 && bytes.length >= 12) {
    headerStart = 12;
    headerLen = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 0x1000000;
  } else {
    return fail(`unsupported format version ${major}.${minor}`);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) fail(`the header (${headerLen} bytes) runs past the end of the file`);
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  if (!headerText.endsWith('\n')) fail('the header does not end with a newline');
  const dict = parseHeaderDict(headerText, fail);

  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (typeof descr !== 'string') return fail("the header has no 'descr' string");
  if (!(descr in DTYPES)) {
    return fail(`dtype '${descr}' is not supported (expected little-endian float32 '<f4', float64 '<f8' or int32 '<i4')`);
  }
  if (typeof fortran !== 'boolean') return fail("the header has no 'fortran_order' flag");
  if (fortran) return fail('the array is stored in Fortran order; save it with np.ascontiguousarray(a)');
  if (!Array.isArray(shape)) return fail("the header has no 'shape' tuple");

  const dtype = descr as NpyDtype;
  const n = elementCount(shape);
  const expected = n * DTYPES[dtype].bytes;
  const actual = bytes.length - dataStart;
  if (actual !== expected) {
    fail(
      `shape ${shapeRepr(shape)} of ${dtype} needs ${expected} data bytes but the file has ${actual}` +
        (actual < expected ? ' (truncated?)' : ''),
    );
  }
  const data = DTYPES[dtype].make(n);
  // Copy rather than view: the data offset in the file need not suit the typed array's alignment.
  new Uint8Array(data.buffer).set(bytes.subarray(dataStart, dataStart + expected));
  return { dtype, shape, data } as NpyArray;
}

/** Read and validate a .npy file; every problem is a UserError naming the file. */
export async function readNpy(file: string): Promise<NpyArray> {
  const bytes = await readRegularFile(file, { what: '.npy file' });
  return decodeNpy(bytes, file);
}
