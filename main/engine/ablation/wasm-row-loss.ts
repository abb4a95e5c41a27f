// The log-sum-exp of a row of logits in the wasm heap (wasm/log-softmax.c), in place where the
// GEMM wrote them: exp in float32 SIMD, the sum in float64. The plain-JS loop (rowLoss in
// output-losses.ts) calls Math.exp per logit and costs about twice the output GEMM at V = 10k.
import { wasmApi, type WasmMemory, type WasmModule } from '../gradients/wasm-runtime';
import { LOG_SOFTMAX_WASM_BASE64 } from './wasm/log-softmax-binary';

interface Exports {
  row_sum_exp(z: number, V: number, maxOut: number): number;
}

let compiled: WasmModule | null = null;

/** log Σ_v exp(z_v) of the row at byte address z; `scratch` is the byte address of one float of heap the kernel may write. */
export type RowLogSumExp = (z: number, V: number) => number;

export function createRowLogSumExp(memory: WasmMemory, scratch: number): RowLogSumExp {
  compiled ??= new wasmApi.Module(Buffer.from(LOG_SOFTMAX_WASM_BASE64, 'base64'));
  const x = new wasmApi.Instance(compiled, { env: { memory } }).exports as unknown as Exports;
  return (z, V) => {
    const sum = x.row_sum_exp(z, V, scratch);
    const max = new Float32Array(memory.buffer, scratch, 1)[0];
    return max + Math.log(sum);
  };
}
