// The values of ONNX tensors (initializers and Constant nodes) as plain arrays: the float
// types a model's weights come in, converted to float32, and the zero checks of initial
// states. Data sits in raw_data (little-endian bytes) or in the typed repeated fields
// (float_data, double_data; float16 and bfloat16 as their bits in int32_data), per the ONNX IR.
import { dtypeName, hasField, int64, ONNX_DTYPE, type OnnxTensor } from './onnx-proto';

/** A tensor whose data the import cannot read; the caller words it for the user with the file and tensor name. */
export class TensorDataError extends Error {}

export interface FloatTensor {
  name: string;
  dims: number[];
  data: Float32Array;
  /** The stored type, e.g. 'float32' or 'float16'. */
  dtype: string;
}

/** A TensorProto with every field at its default (for tensors made from Constant attributes). */
export function emptyTensor(): OnnxTensor {
  const none: never[] = [];
  return {
    dims: none, data_type: 0, float_data: none, int32_data: none, string_data: none, int64_data: none, name: '',
    raw_data: new Uint8Array(0), double_data: none, uint64_data: none, external_data: none, data_location: 0,
  };
}

export function tensorDims(t: OnnxTensor): number[] {
  return t.dims.map(int64);
}

export function elementCount(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Refuses tensors whose bytes live in another file (ONNX external data). */
export function checkInternal(t: OnnxTensor): void {
  if (t.data_location === 1 || t.external_data.length > 0) {
    const where = t.external_data.find((e) => e.key === 'location')?.value;
    throw new TensorDataError(
      `keeps its data in an external file${where ? ` ('${where}')` : ''}; external data is not supported: save the model with its weights inside the .onnx file (onnx.save_model(model, path, save_as_external_data=False))`,
    );
  }
}

function halfToFloat(bits: number): number {
  const s = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

const FLOAT_TYPES: ReadonlySet<number> = new Set([ONNX_DTYPE.FLOAT, ONNX_DTYPE.FLOAT16, ONNX_DTYPE.DOUBLE, ONNX_DTYPE.BFLOAT16]);

export function isFloatType(dataType: number): boolean {
  return FLOAT_TYPES.has(dataType);
}

const hasRaw = (t: OnnxTensor) => hasField(t, 'raw_data') && t.raw_data.length > 0;

function checkCount(got: number, want: number, where: string): void {
  if (got !== want) throw new TensorDataError(`holds ${got} values in ${where}; its shape needs ${want}`);
}

/** A float32/float16/float64/bfloat16 tensor as float32. Throws TensorDataError for any other type or inconsistent data. */
export function floatTensor(t: OnnxTensor): FloatTensor {
  checkInternal(t);
  const dims = tensorDims(t);
  const n = elementCount(dims);
  const dtype = dtypeName(t.data_type);
  if (!isFloatType(t.data_type)) throw new TensorDataError(`has type ${dtype}; expected a float tensor (float32, float16, float64 or bfloat16)`);
  const out = new Float32Array(n);
  if (hasRaw(t)) {
    const raw = t.raw_data;
    const size = t.data_type === ONNX_DTYPE.DOUBLE ? 8 : t.data_type === ONNX_DTYPE.FLOAT ? 4 : 2;
    if (raw.length !== n * size) throw new TensorDataError(`has ${raw.length} bytes of raw_data; its shape and type (${dtype}) need ${n * size}`);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const bits = new Uint32Array(1);
    const asFloat = new Float32Array(bits.buffer);
    for (let i = 0; i < n; i++) {
      switch (t.data_type) {
        case ONNX_DTYPE.FLOAT:
          out[i] = view.getFloat32(i * 4, true);
          break;
        case ONNX_DTYPE.DOUBLE:
          out[i] = view.getFloat64(i * 8, true);
          break;
        case ONNX_DTYPE.FLOAT16:
          out[i] = halfToFloat(view.getUint16(i * 2, true));
          break;
        default: // bfloat16: the top half of a float32
          bits[0] = view.getUint16(i * 2, true) << 16;
          out[i] = asFloat[0];
      }
    }
  } else if (t.data_type === ONNX_DTYPE.FLOAT) {
    checkCount(t.float_data.length, n, 'float_data');
    out.set(t.float_data);
  } else if (t.data_type === ONNX_DTYPE.DOUBLE) {
    checkCount(t.double_data.length, n, 'double_data');
    out.set(t.double_data);
  } else {
    checkCount(t.int32_data.length, n, 'int32_data');
    const bf = t.data_type === ONNX_DTYPE.BFLOAT16;
    const bits = new Uint32Array(1);
    const f = new Float32Array(bits.buffer);
    for (let i = 0; i < n; i++) {
      const b = t.int32_data[i] & 0xffff;
      if (bf) {
        bits[0] = b << 16;
        out[i] = f[0];
      } else out[i] = halfToFloat(b);
    }
  }
  return { name: t.name, dims, data: out, dtype };
}

/** Whether every element of a numeric tensor is zero (any type with numeric data). */
export function isAllZero(t: OnnxTensor): boolean {
  checkInternal(t);
  if (hasRaw(t)) {
    if (isFloatType(t.data_type)) return floatTensor(t).data.every((v) => v === 0);
    return t.raw_data.every((b) => b === 0);
  }
  if (![t.float_data, t.int32_data, t.double_data].every((list) => list.every((v) => v === 0))) return false;
  return [t.int64_data, t.uint64_data].every((list) => list.every((v) => int64(v) === 0));
  return true;
}
