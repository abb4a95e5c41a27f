// Reading a PyTorch state_dict saved with `torch.save(model.state_dict(), f)` (the zip
// format; see DESIGN §7): a zip of stored (uncompressed) entries holding `<dir>/data.pkl`
// (a pickle) and one raw little-endian file per storage under `<dir>/data/`. The pickle is
// read by a restricted virtual machine that knows only the opcodes and globals a state_dict
// needs (OrderedDict, torch._utils._rebuild_tensor_v2, torch.*Storage); every other global
// is refused, and nothing named in the file is ever called or imported.
import { UserError } from '../errors';
import { readRegularFile } from '../project/safe-open';

const MiB = 1024 * 1024;
/** Largest .pt file read (the whole file is read into memory). */
export const MAX_TORCH_FILE_BYTES = 1024 * MiB;

export type TorchDtype = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

export interface TorchTensor {
  name: string;
  /** The dtype stored in the file. */
  dtype: TorchDtype;
  shape: number[];
  /** The values converted to float32, row-major (contiguous). */
  data: Float32Array;
  /** The storage key, to tell tensors sharing a storage (tied weights). */
  storageKey: string;
  storageOffset: number;
}

export interface TorchStateDict {
  tensors: Map<string, TorchTensor>;
  /** The file's dtypes other than float32 (converted; for the notes). */
  converted: TorchDtype[];
}

// ---------------------------------------------------------------- zip

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function zipEntries(file: string, buf: Buffer): Map<string, ZipEntry> {
  const bad = (why: string) => new UserError(`${file}: not a readable torch.save file (${why}); is it truncated or of another format?`);
  if (buf.length < 22) throw bad('too short for a zip archive');
  if (buf.readUInt32LE(0) !== 0x04034b50) {
    if (buf[0] === 0x80) {
      throw new UserError(`${file}: a legacy (pre-1.6, non-zip) torch.save file; re-save it with a current PyTorch: torch.save(model.state_dict(), path)`);
    }
    throw bad('no zip signature at the start');
  }
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65535 bytes.
  let eocd = -1;
  for (let p = buf.length - 22; p >= Math.max(0, buf.length - 22 - 65535); p--) {
    if (buf.readUInt32LE(p) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw bad('no zip end-of-central-directory record');
  let count = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    // ZIP64: the locator sits just before the EOCD and points at the ZIP64 EOCD record.
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== 0x07064b50) throw bad('ZIP64 locator missing');
    const rec = Number(buf.readBigUInt64LE(loc + 8));
    if (rec + 56 > buf.length || buf.readUInt32LE(rec) !== 0x06064b50) throw bad('ZIP64 end record missing');
    count = Number(buf.readBigUInt64LE(rec + 32));
    cdSize = Number(buf.readBigUInt64LE(rec + 40));
    cdOffset = Number(buf.readBigUInt64LE(rec + 48));
  }
  if (cdOffset + cdSize > buf.length) throw bad('the central directory lies past the end of the file');
  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw bad(`central directory entry ${i} is damaged`);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    if (p + 46 + nameLen + extraLen > buf.length) throw bad(`central directory entry ${i} is damaged`);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    // ZIP64 extended information: the 0xffffffff fields, in order, as 8-byte values.
    let e = p + 46 + nameLen;
    const end = e + extraLen;
    while (e + 4 <= end) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) {
          size = Number(buf.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(buf.readBigUInt64LE(q));
          q += 8;
        }
        if (localOffset === 0xffffffff) localOffset = Number(buf.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    entries.set(name, { name, method, compressedSize, size, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function entryData(file: string, buf: Buffer, e: ZipEntry): Buffer {
  if (e.method !== 0) {
    throw new UserError(
      `${file}: entry '${e.name}' is compressed (zip method ${e.method}); torch.save writes stored entries only — save the file with torch.save rather than re-zipping it`,
    );
  }
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== 0x04034b50) {
    throw new UserError(`${file}: entry '${e.name}' is damaged (no local header); is the file truncated?`);
  }
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.size > buf.length) throw new UserError(`${file}: entry '${e.name}' runs past the end of the file; is it truncated?`);
  return buf.subarray(start, start + e.size);
}

// ---------------------------------------------------------------- pickle

class Global {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get full(): string {
    return `${this.module}.${this.name}`;
  }
}
class Mark {}
class StorageRef {
  constructor(
    readonly dtype: TorchDtype,
    readonly key: string,
    readonly numel: number,
  ) {}
}
class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly size: number[],
    readonly stride: number[],
  ) {}
}
/** An OrderedDict or dict. */
class Dict {
  readonly entries = new Map<unknown, unknown>();
}

const STORAGE_DTYPES: Record<string, TorchDtype> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};
const ITEM_BYTES: Record<TorchDtype, number> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

const ALLOWED_CALLABLES = new Set(['collections.OrderedDict', 'torch._utils._rebuild_tensor_v2', 'torch._utils._rebuild_parameter']);

/**
 * The global `module.name` as an allowed callable or storage type, or a refusal. `wholeModule`:
 * the pickle mentions torch.nn.modules, so a class it names is most likely the model's own.
 */
function checkGlobal(file: string, module: string, name: string, wholeModule: boolean): Global {
  const full = `${module}.${name}`;
  if (ALLOWED_CALLABLES.has(full)) return new Global(module, name);
  if (module === 'torch' && name in STORAGE_DTYPES) return new Global(module, name);
  if (module === 'torch' && name.endsWith('Storage')) {
    throw new UserError(
      `${file}: holds tensors of the storage type ${full}, which is not supported (float32, float64, float16 and bfloat16 weights are read)`,
    );
  }
  if (module === '__main__' || module.startsWith('torch.nn.') || (wholeModule && /^[A-Z]/.test(name))) {
    throw new UserError(
      `${file}: holds a whole pickled model (it names ${full}), not a state_dict; save the weights with torch.save(model.state_dict(), path) and import that file`,
    );
  }
  throw new UserError(
    `${file}: refused: the pickle in it names the global '${full}', which a PyTorch state_dict does not need; Mnemoscope reads only state_dicts (tensors, storages, OrderedDict) and never runs code from a file`,
  );
}

/** Runs the restricted pickle VM over data.pkl; returns the top object. */
function unpickle(file: string, pkl: Buffer): unknown {
  const bad = (why: string) => new UserError(`${file}: the state_dict pickle is damaged or not supported (${why})`);
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  const wholeModule = pkl.includes('torch.nn.modules');
  let p = 0;
  const need = (n: number) => {
    if (p + n > pkl.length) throw bad('it ends early');
  };
  const u8 = () => (need(1), pkl[p++]);
  const readLine = () => {
    const nl = pkl.indexOf(0x0a, p);
    if (nl < 0) throw bad('unterminated line');
    const s = pkl.toString('utf8', p, nl);
    p = nl + 1;
    return s;
  };
  const bytes = (n: number) => {
    need(n);
    const b = pkl.subarray(p, p + n);
    p += n;
    return b;
  };
  const pop = () => {
    if (stack.length === 0) throw bad('stack underflow');
    return stack.pop();
  };
  const popMark = (): unknown[] => {
    for (let i = stack.length - 1; i >= 0; i--) {
      if (stack[i] instanceof Mark) {
        const items = stack.splice(i + 1);
        stack.pop();
        return items;
      }
    }
    throw bad('no MARK');
  };
  const top = () => {
    if (stack.length === 0) throw bad('stack underflow');
    return stack[stack.length - 1];
  };
  const setItems = (d: unknown, items: unknown[]) => {
    if (!(d instanceof Dict)) throw bad('SETITEM on something not a dict');
    for (let i = 0; i + 1 < items.length; i += 2) d.entries.set(items[i], items[i + 1]);
  };
  const asInt = (v: unknown, what: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(`${what} is not an integer`);
    return v;
  };
  const intTuple = (v: unknown, what: string): number[] => {
    if (!Array.isArray(v)) throw bad(`${what} is not a tuple`);
    return v.map((x) => asInt(x, what));
  };

  const call = (fn: unknown, args: unknown): unknown => {
    if (!(fn instanceof Global) || !Array.isArray(args)) throw bad('REDUCE of something not allowed');
    switch (fn.full) {
      case 'collections.OrderedDict':
        if (args.length !== 0) throw bad('OrderedDict with arguments');
        return new Dict();
      case 'torch._utils._rebuild_tensor_v2': {
        const [storage, offset, size, stride] = args;
        if (!(storage instanceof StorageRef)) throw bad('tensor without a storage');
        return new TensorRef(storage, asInt(offset, 'storage offset'), intTuple(size, 'size'), intTuple(stride, 'stride'));
      }
      case 'torch._utils._rebuild_parameter':
        if (!(args[0] instanceof TensorRef)) throw bad('parameter without a tensor');
        return args[0];
      default:
        throw bad(`calling ${fn.full}`);
    }
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        bytes(8);
        break;
      case 0x2e: // STOP
        return pop();
      case 0x63: {
        // GLOBAL
        const module = readLine();
        const name = readLine();
        stack.push(checkGlobal(file, module, name, wholeModule));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw bad('STACK_GLOBAL of non-strings');
        stack.push(checkGlobal(file, module, name, wholeModule));
        break;
      }
      case 0x28: // MARK
        stack.push(new Mark());
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Dict());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        const l = top();
        if (!Array.isArray(l)) throw bad('APPEND to something not a list');
        l.push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const l = top();
        if (!Array.isArray(l)) throw bad('APPENDS to something not a list');
        l.push(...items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x64: {
        // DICT
        const d = new Dict();
        setItems(d, popMark());
        stack.push(d);
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        need(4);
        memo.set(pkl.readUInt32LE(p), top());
        p += 4;
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        let i: number;
        if (op === 0x68) i = u8();
        else {
          need(4);
          i = pkl.readUInt32LE(p);
          p += 4;
        }
        if (!memo.has(i)) throw bad(`memo ${i} is not set`);
        stack.push(memo.get(i));
        break;
      }
      case 0x4a: // BININT
        need(4);
        stack.push(pkl.readInt32LE(p));
        p += 4;
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        need(2);
        stack.push(pkl.readUInt16LE(p));
        p += 2;
        break;
      case 0x8a: {
        // LONG1
        const n = u8();
        const b = bytes(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
        if (n > 0 && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw bad('an integer too large');
        stack.push(Number(v));
        break;
      }
      case 0x47: // BINFLOAT
        need(8);
        stack.push(pkl.readDoubleBE(p));
        p += 8;
        break;
      case 0x58: {
        // BINUNICODE
        need(4);
        const n = pkl.readUInt32LE(p);
        p += 4;
        stack.push(bytes(n).toString('utf8'));
        break;
      }
      case 0x8c: // SHORT_BINUNICODE
        stack.push(bytes(u8()).toString('utf8'));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(bytes(u8()).toString('latin1'));
        break;
      case 0x54: {
        // BINSTRING
        need(4);
        const n = pkl.readInt32LE(p);
        p += 4;
        if (n < 0) throw bad('negative string length');
        stack.push(bytes(n).toString('latin1'));
        break;
      }
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x52: {
        // REDUCE
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case 0x62: {
        // BUILD: the state of an OrderedDict (its _metadata attribute) is not needed.
        pop();
        if (!(top() instanceof Dict)) throw bad('BUILD of something not an OrderedDict');
        break;
      }
      case 0x51: {
        // BINPERSID: ('storage', storage_type, key, location, numel)
        const pid = pop();
        if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5) throw bad('a persistent id that is not a storage');
        const [, type, key, , numel] = pid;
        if (!(type instanceof Global) || !(type.name in STORAGE_DTYPES)) throw bad('a storage of unknown type');
        if (typeof key !== 'string' || !/^[A-Za-z0-9_]+$/.test(key)) throw bad('a storage key that is not a plain name');
        stack.push(new StorageRef(STORAGE_DTYPES[type.name], key, asInt(numel, 'storage size')));
        break;
      }
      default:
        throw bad(`pickle opcode 0x${op.toString(16).padStart(2, '0')} ('${String.fromCharCode(op)}') at byte ${p - 1} is not one a state_dict uses`);
    }
  }
}

// ---------------------------------------------------------------- tensors

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function readElement(dtype: TorchDtype, b: Buffer, at: number): number {
  switch (dtype) {
    case 'float32':
      return b.readFloatLE(at);
    case 'float64':
      return b.readDoubleLE(at);
    case 'float16':
      return halfToFloat(b.readUInt16LE(at));
    case 'bfloat16': {
      const f = new Float32Array(new Uint32Array([b.readUInt16LE(at) << 16]).buffer);
      return f[0];
    }
    case 'int64':
      return Number(b.readBigInt64LE(at));
    case 'int32':
      return b.readInt32LE(at);
    case 'int16':
      return b.readInt16LE(at);
    case 'int8':
      return b.readInt8(at);
    case 'uint8':
    case 'bool':
      return b[at];
  }
}

function rebuild(file: string, name: string, t: TensorRef, storage: Buffer): TorchTensor {
  const item = ITEM_BYTES[t.storage.dtype];
  if (storage.length < t.storage.numel * item) {
    throw new UserError(`${file}: tensor '${name}': its storage holds ${storage.length} bytes, ${t.storage.numel * item} expected; is the file truncated?`);
  }
  if (t.size.length !== t.stride.length || t.size.some((s) => s < 0) || t.stride.some((s) => s < 0)) {
    throw new UserError(`${file}: tensor '${name}': size [${t.size}] and stride [${t.stride}] do not fit`);
  }
  const n = t.size.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  if (n > 0) {
    const last = t.offset + t.size.reduce((acc, s, i) => acc + (s - 1) * t.stride[i], 0);
    if (t.offset < 0 || last >= t.storage.numel) {
      throw new UserError(`${file}: tensor '${name}': size [${t.size}], stride [${t.stride}] and offset ${t.offset} reach past its storage of ${t.storage.numel} elements`);
    }
    const idx = new Array<number>(t.size.length).fill(0);
    for (let i = 0; i < n; i++) {
      let at = t.offset;
      for (let d = 0; d < idx.length; d++) at += idx[d] * t.stride[d];
      data[i] = readElement(t.storage.dtype, storage, at * item);
      for (let d = idx.length - 1; d >= 0; d--) {
        if (++idx[d] < t.size[d]) break;
        idx[d] = 0;
      }
    }
  }
  return { name, dtype: t.storage.dtype, shape: t.size, data, storageKey: t.storage.key, storageOffset: t.offset };
}

/** Reads a state_dict written by torch.save (zip format). Every failure is a UserError naming the file. */
export async function readTorchStateDict(file: string): Promise<TorchStateDict> {
  const buf = await readRegularFile(file, { what: 'PyTorch state_dict (.pt)', maxBytes: MAX_TORCH_FILE_BYTES });
  return parseTorchStateDict(file, buf);
}

export function parseTorchStateDict(file: string, buf: Buffer): TorchStateDict {
  const entries = zipEntries(file, buf);
  const pklEntry = [...entries.values()].find((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  if (!pklEntry) throw new UserError(`${file}: a zip, but not a torch.save file (no <dir>/data.pkl in it)`);
  const dir = pklEntry.name.slice(0, -'data.pkl'.length);
  const order = entries.get(`${dir}byteorder`);
  if (order && entryData(file, buf, order).toString('latin1').trim() !== 'little') {
    throw new UserError(`${file}: saved on a big-endian machine; re-save it on a little-endian one`);
  }
  const root = unpickle(file, entryData(file, buf, pklEntry));
  if (!(root instanceof Dict)) {
    throw new UserError(`${file}: does not hold a state_dict (an OrderedDict of tensors); save one with torch.save(model.state_dict(), path)`);
  }
  const tensors = new Map<string, TorchTensor>();
  const converted = new Set<TorchDtype>();
  const storages = new Map<string, Buffer>();
  for (const [k, v] of root.entries) {
    if (typeof k !== 'string') throw new UserError(`${file}: a state_dict key is not a string`);
    if (!(v instanceof TensorRef)) throw new UserError(`${file}: '${k}' is not a tensor; expected a state_dict of tensors`);
    let storage = storages.get(v.storage.key);
    if (!storage) {
      const e = entries.get(`${dir}data/${v.storage.key}`);
      if (!e) throw new UserError(`${file}: tensor '${k}': its storage ${dir}data/${v.storage.key} is missing; is the file truncated?`);
      storage = entryData(file, buf, e);
      storages.set(v.storage.key, storage);
    }
    const t = rebuild(file, k, v, storage);
    if (t.dtype !== 'float32') converted.add(t.dtype);
    tensors.set(k, t);
  }
  return { tensors, converted: [...converted] };
}
