// Reading a safetensors file (https://github.com/huggingface/safetensors): an unsigned 64-bit
// little-endian header length N, N bytes of a UTF-8 JSON header
//   { "<name>": { "dtype": "F32", "shape": [r, c], "data_offsets": [begin, end] }, ...,
//     "__metadata__": { "<key>": "<string>" } }            (the metadata is optional)
// padded with spaces, then the data area, where each tensor's row-major little-endian bytes
// lie at [begin, end) relative to the area's start. Everything is checked before a value is
// read, as the format's own reader does: the header length against the file and a limit, the
// JSON, every dtype, shape and offset pair (inside the area, the size of dtype × shape, no two
// tensors overlapping, no byte of the area unused). Nothing in the header is trusted for an
// allocation before that.
import { UserError } from '../errors';
import { readRegularFile } from '../project/safe-open';
import type { StoredTensor } from './pytorch-keys';

const MiB = 1024 * 1024;
/** Largest safetensors file read (the whole file is read into memory), as for torch.save files. */
export const MAX_SAFETENSORS_FILE_BYTES = 1024 * MiB;
/** Largest JSON header (the safetensors library's own limit is 100 MB). */
export const MAX_SAFETENSORS_HEADER_BYTES = 100 * 1000 * 1000;
const MAX_RANK = 8;

/** safetensors dtype → [stored type name, bytes per element]; the types read as numbers. */
const DTYPES: Record<string, [string, number]> = {
  F64: ['float64', 8],
  F32: ['float32', 4],
  F16: ['float16', 2],
  BF16: ['bfloat16', 2],
  I64: ['int64', 8],
  I32: ['int32', 4],
  I16: ['int16', 2],
  I8: ['int8', 1],
  U64: ['uint64', 8],
  U32: ['uint32', 4],
  U16: ['uint16', 2],
  U8: ['uint8', 1],
  BOOL: ['bool', 1],
};
/** Types of the format that this reader knows but does not convert. */
const UNSUPPORTED_DTYPES = new Set(['F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F6_E2M3', 'F6_E3M2', 'F4', 'C64']);

export interface Safetensors {
  tensors: Map<string, StoredTensor>;
  /** The __metadata__ strings (e.g. {format: 'pt'}). */
  metadata: Record<string, string>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** The values of `bytes` (little-endian `dtype`) as float32. */
function toFloat32(dtype: string, bytes: Buffer, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    switch (dtype) {
      case 'F64':
        out[i] = bytes.readDoubleLE(8 * i);
        break;
      case 'F32':
        out[i] = bytes.readFloatLE(4 * i);
        break;
      case 'F16':
        out[i] = halfToFloat(bytes.readUInt16LE(2 * i));
        break;
      case 'BF16':
        u32[0] = bytes.readUInt16LE(2 * i) << 16;
        out[i] = f32[0];
        break;
      case 'I64':
        out[i] = Number(bytes.readBigInt64LE(8 * i));
        break;
      case 'I32':
        out[i] = bytes.readInt32LE(4 * i);
        break;
      case 'I16':
        out[i] = bytes.readInt16LE(2 * i);
        break;
      case 'I8':
        out[i] = bytes.readInt8(i);
        break;
      case 'U64':
        out[i] = Number(bytes.readBigUInt64LE(8 * i));
        break;
      case 'U32':
        out[i] = bytes.readUInt32LE(4 * i);
        break;
      case 'U16':
        out[i] = bytes.readUInt16LE(2 * i);
        break;
      default: // U8, BOOL
        out[i] = bytes[i];
    }
  }
  return out;
}

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/** Parses a whole safetensors file held in memory; every problem is a one-line UserError naming the file (and the tensor). */
export function parseSafetensors(file: string, buf: Buffer): Safetensors {
  const bad = (why: string) => new UserError(`${file}: not a readable safetensors file (${why})`);
  if (buf.length < 8) throw bad(`${buf.length} bytes, too short for the 8-byte header length; is it truncated?`);
  const n = buf.readBigUInt64LE(0);
  if (n > BigInt(buf.length - 8)) {
    throw bad(`its header length ${n} runs past the end of the ${buf.length}-byte file; is it truncated, or of another format?`);
  }
  if (n > BigInt(MAX_SAFETENSORS_HEADER_BYTES)) throw bad(`its header length ${n} is over the limit of ${MAX_SAFETENSORS_HEADER_BYTES} bytes`);
  const headerEnd = 8 + Number(n);
  const headerBytes = buf.subarray(8, headerEnd);
  if (headerBytes[0] !== 0x7b) throw bad('the header does not start with "{"');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw bad('the header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw bad(`the header is not valid JSON: ${(err as Error).message}`);
  }
  if (!isRecord(json)) throw bad('the header is not a JSON object');

  const data = buf.subarray(headerEnd);
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, spec] of Object.entries(json)) {
    const wrong = (why: string) => new UserError(`${file}: tensor '${name}': ${why}; the safetensors header is damaged or not supported`);
    if (name === '__metadata__') {
      if (!isRecord(spec)) throw bad('__metadata__ is not an object of strings');
      for (const [k, v] of Object.entries(spec)) {
        if (typeof v !== 'string') throw bad(`__metadata__ '${k}' is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    if (!isRecord(spec)) throw wrong('its entry is not an object');
    const { dtype, shape, data_offsets: offsets } = spec;
    if (typeof dtype !== 'string') throw wrong('no dtype');
    if (!(dtype in DTYPES)) {
      if (UNSUPPORTED_DTYPES.has(dtype)) {
        throw new UserError(`${file}: tensor '${name}': dtype ${dtype} is not supported (float64, float32, float16 and bfloat16 weights are read)`);
      }
      throw new UserError(`${file}: tensor '${name}': unknown dtype '${dtype.slice(0, 40)}'; the safetensors header is damaged or not supported`);
    }
    if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw wrong(`shape ${JSON.stringify(shape)?.slice(0, 80)} is not a list of at most ${MAX_RANK} non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw wrong(`data_offsets ${JSON.stringify(offsets)?.slice(0, 80)} is not a pair of non-negative integers`);
    }
    const [begin, end] = offsets as number[];
    if (begin > end) throw wrong(`data_offsets [${begin}, ${end}] end before they begin`);
    if (end > data.length) {
      throw new UserError(
        `${file}: tensor '${name}': data_offsets [${begin}, ${end}] reach past the end of the data area (${data.length} bytes); is the file truncated?`,
      );
    }
    const dims = shape as number[];
    let numel = 1;
    for (const d of dims) {
      numel *= d;
      if (!Number.isSafeInteger(numel)) throw wrong(`shape [${dims.join(', ')}] is too large`);
    }
    const bytes = numel * DTYPES[dtype][1];
    if (end - begin !== bytes) {
      throw wrong(`data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but ${dtype} of shape [${dims.join(', ')}] needs ${bytes}`);
    }
    entries.push({ name, dtype, shape: dims, begin, end });
  }
  // No two tensors overlap, and every byte of the data area belongs to one (as the format requires).
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i];
    if (e.begin < at) {
      throw new UserError(`${file}: tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] overlap those of '${sorted[i - 1].name}'; the safetensors header is damaged`);
    }
    if (e.begin > at) {
      throw new UserError(`${file}: bytes ${at} to ${e.begin} of the data area belong to no tensor (before '${e.name}'); the safetensors header is damaged`);
    }
    at = e.end;
  }
  if (at !== data.length) {
    throw new UserError(`${file}: ${data.length - at} bytes after the last tensor belong to no tensor; the safetensors header is damaged`);
  }
  const tensors = new Map<string, StoredTensor>();
  for (const e of entries) {
    tensors.set(e.name, {
      name: e.name,
      dtype: DTYPES[e.dtype][0],
      shape: e.shape,
      data: toFloat32(e.dtype, data.subarray(e.begin, e.end), e.shape.reduce((a, b) => a * b, 1)),
      storageKey: `bytes ${e.begin}-${e.end}`,
      storageOffset: 0,
    });
  }
  return { tensors, metadata };
}

/** Reads a safetensors file (a regular file of at most MAX_SAFETENSORS_FILE_BYTES). */
export async function readSafetensors(file: string): Promise<Safetensors> {
  const buf = await readRegularFile(file, { what: 'safetensors file', maxBytes: MAX_SAFETENSORS_FILE_BYTES });
  return parseSafetensors(file, buf);
}
