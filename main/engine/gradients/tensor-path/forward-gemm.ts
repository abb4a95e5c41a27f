// The forward state's products on the device: a GemmEngine for RecurrentForward
// (cell-forward.ts) whose right-hand sides, the layers' stacked weights, are uploaded once and
// kept as tensors, so a step uploads only the [S, in+H] inputs and reads back the [S, PW]
// pre-activations. Without it the host would compute the forward in float64 JS loops, which
// at H in the thousands takes about as long per step as the tangents on a GPU. Float32
// products, as the kernel path's forward on wasm (RecurrentForward with its GEMM engine).
import * as tf from '@tensorflow/tfjs';
import { jsF32, type F32Buf } from '../buffers';
import { TfCopyGemmEngine, type GemmMatrix } from '../gemm-engine';

export class DeviceWeightsGemmEngine extends TfCopyGemmEngine {
  override readonly name = `tfjs ${tf.getBackend()} matMul (weights kept on the device)`;
  private readonly weights = new Map<GemmMatrix, tf.Tensor2D>();

  /** a · w with w uploaded at its first use: w must not change after that (RecurrentForward's weights do not). */
  override multiply(a: GemmMatrix, w: GemmMatrix): F32Buf {
    let wt = this.weights.get(w);
    if (!wt) {
      wt = tf.tensor2d(w.array().subarray(w.base, w.base + w.rows * w.cols), [w.rows, w.cols]);
      this.weights.set(w, wt);
    }
    const right = wt;
    const out = tf.tidy(() => tf.matMul(tf.tensor2d(a.array().subarray(a.base, a.base + a.rows * a.cols), [a.rows, a.cols]), right).dataSync());
    return jsF32(out as Float32Array);
  }

  override release(m: GemmMatrix): void {
    this.weights.get(m)?.dispose();
    this.weights.delete(m);
  }

  override dispose(): void {
    for (const t of this.weights.values()) t.dispose();
    this.weights.clear();
  }
}
