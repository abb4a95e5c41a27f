// One process's plain tfjs-wasm matMul rate, printed as JSON: run alone and two at once by
// gradients-bench.ts to measure what this machine gives two GEMMs on two cores, the ceiling
// for the sweep's own two-worker scaling.
//   node --import tsx test/bench/matmul-probe.ts ROWS K N SECONDS
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../main/engine/model/backend';

const [rows, k, n, seconds] = process.argv.slice(2).map(Number);
await selectBackend('wasm');
const a = tf.randomNormal([rows, k]) as tf.Tensor2D;
const w = tf.randomNormal([k, n]) as tf.Tensor2D;
const once = () => {
  const fresh = tf.clone(w); // a new right side per call, as in the sweep
  tf.matMul(a, fresh).dispose();
  fresh.dispose();
};
for (let i = 0; i < 3; i++) once();
let reps = 0;
const t0 = performance.now();
while (performance.now() - t0 < seconds * 1000) {
  once();
  reps++;
}
const elapsed = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ gflops: (2 * rows * k * n * reps) / elapsed / 1e9 }));
