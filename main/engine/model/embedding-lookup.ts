// Embedding lookup with its own gradient: tf.gather's gradient needs the
// UnsortedSegmentSum kernel, which the wasm backend lacks. The gradient scatters the
// rows of dy back into a [V, E] array in JS, N×E additions, cheaper than any
// one-hot product. The saved model keeps a real Embedding layer.
import * as tf from '@tensorflow/tfjs';

export function embeddingLookup(embedding: tf.Tensor, ids: Int32Array): tf.Tensor2D {
  const [V, E] = embedding.shape as [number, number];
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const emb = args[0] as tf.Tensor2D;
    return {
      value: tf.gather(emb, tf.tensor1d(ids, 'int32')),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        const out = new Float32Array(V * E);
        for (let n = 0; n < ids.length; n++) {
          const src = n * E;
          const dst = ids[n] * E;
          for (let k = 0; k < E; k++) out[dst + k] += g[src + k];
        }
        return tf.tensor2d(out, [V, E]);
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]);
  return op(embedding) as tf.Tensor2D;
}
