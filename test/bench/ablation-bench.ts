// `npm run bench -- ablation`: the context ablation at the paper's size (E 64, H 256, V 10k,
// one LSTM layer, D 30): cell steps/s, V-way output rows/s, tokens/s and GFLOP/s, in one
// thread and on all cores. Random weights ~ N(0, 1/fan_in) (gradients-model.ts) and a random
// output layer; the work does not depend on the values.
// options: --tokens=2000 (split tokens), --streams=20, --max-delay=30, --workers=1,2 (0 = this thread)
import os from 'node:os';
import { computeAblation } from '../../main/engine/ablation/compute-ablation';
import { stepFlops } from '../../main/engine/ablation/ablation-record';
import type { RnnLmWeights } from '../../main/engine/model/rnn-weights';
import { benchModel, rng } from './gradients-model';

const V = 10_000;

function paperModel(): RnnLmWeights {
  const w = benchModel(256, 64, 'lstm');
  const r = rng(99);
  const E = w.embeddingDim;
  const H = w.layers[0].units;
  const gauss = (n: number, s: number) => Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r()) * s);
  return { ...w, vocabSize: V, embedding: gauss(V * E, 1 / Math.sqrt(E)), outputKernel: gauss(H * V, 1 / Math.sqrt(H)), outputBias: new Float32Array(V) };
}

export async function runAblationBench(options: Map<string, string>): Promise<void> {
  const tokens = Number(options.get('tokens') ?? 2000);
  const streams = Number(options.get('streams') ?? 20);
  const maxDelay = Number(options.get('max-delay') ?? 30);
  const workerCounts = (options.get('workers') ?? `1,${os.availableParallelism()}`).split(',').map(Number);
  const w = paperModel();
  const r = rng(5);
  const split = Int32Array.from({ length: tokens }, () => Math.floor(r() * V));
  const flops = stepFlops(w);
  console.log(`E 64, H 256, V ${V}, LSTM, D ${maxDelay}, ${tokens} tokens in ${streams} streams, mode unk; cell step ${(flops.cell / 1e6).toFixed(2)} MFLOP, output row ${(flops.output / 1e6).toFixed(2)} MFLOP`);
  for (const workers of workerCounts) {
    const t0 = performance.now();
    const c = await computeAblation(w, split, { maxDelay, streams, groups: 10, classes: [], mode: 'unk', unkId: 0, seed: 1 }, { workers });
    const wall = (performance.now() - t0) / 1000;
    const n = c.layout.streams * c.layout.length;
    const gflop = (c.cellSteps * flops.cell + c.outputRows * flops.output) / 1e9;
    console.log(
      `workers ${workers}: ${wall.toFixed(1)} s wall (${c.computeSeconds.toFixed(1)} s slowest share); ` +
        `${Math.round(c.cellSteps / wall).toLocaleString('en-US')} cell steps/s, ${Math.round(c.outputRows / wall).toLocaleString('en-US')} output rows/s, ` +
        `${(n / wall).toFixed(1)} tokens/s, ${(gflop / wall).toFixed(1)} GFLOP/s (${c.engine})`,
    );
  }
}
