// `npm run bench -- sweep-paths [--sizes=64,128x64] [--streams=8] [--length=200]`: the two
// sweep paths side by side, one thread each, on the same job (c of a one-layer LSTM, D = 30,
// gradients-model.ts): the kernel path (our GEMM and SIMD kernels in the wasm heap) and the
// tensor path (tensor-path/: tangents and sums as tfjs tensors) on every backend available
// here. Both run in the calling thread (workers = 0), so the rates compare one core with one
// core. The tensorflow backends (tfjs-node, tfjs-node-gpu) are measured when installed and
// otherwise listed as not measured: this is the only place that says what ran.
// Printed, never asserted.
import { selectBackend, type BackendPreference } from '../../main/engine/model/backend';
import { accumulateStateGradients, type StateGradientResult } from '../../main/engine/gradients/parallel-driver';
import { chooseSweepPath } from '../../main/engine/gradients/tensor-path/sweep-path';
import { benchModel, benchTokens } from './gradients-model';

const D = 30;

function parseSizes(s: string | undefined): [number, number][] {
  return (s ?? '64').split(',').map((x) => {
    const [h, e] = x.split('x').map(Number);
    return [h, e ?? h];
  });
}

function describe(label: string, r: StateGradientResult): string {
  const positions = r.streams * r.length;
  return (
    `${label.padEnd(30)} ${(positions / r.computeSeconds).toFixed(1).padStart(8)} positions/s  ` +
    `${r.gflops.toFixed(2).padStart(6)} GFLOP/s nominal (${(r.gemmFlops / r.computeSeconds / 1e9).toFixed(2)} executed)  ` +
    `sweep ${r.computeSeconds.toFixed(2)} s` +
    (r.sweep?.device ? `, chunk ${r.sweep.device.chunkStreams} streams` : '')
  );
}

async function available(b: BackendPreference): Promise<string | null> {
  try {
    await selectBackend(b);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export async function runSweepPathsBench(options: Map<string, string>): Promise<void> {
  const streams = Number(options.get('streams') ?? 8);
  const length = Number(options.get('length') ?? 200);
  for (const [H, E] of parseSizes(options.get('sizes'))) {
    const w = benchModel(H, E);
    const tokens = benchTokens(streams * length);
    console.log(`H = ${H}, E = ${E}, D = ${D}, ${streams} streams × ${length} steps, one thread per path`);
    const sweep = (engine: 'kernels' | 'tensor', backend: BackendPreference) =>
      accumulateStateGradients(
        w,
        tokens,
        { state: 'c', maxDelay: D, streams, groups: 10, backend, sweepPath: chooseSweepPath(engine, backend) },
        { workers: 0 },
      );
    let kernelRate = 0;
    const results: [string, StateGradientResult][] = [];
    const k = await sweep('kernels', 'wasm');
    kernelRate = (k.streams * k.length) / k.computeSeconds;
    results.push(['kernels, wasm', k]);
    for (const backend of ['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'] as BackendPreference[]) {
      const why = await available(backend);
      if (why) {
        console.log(`${`tensor, ${backend}`.padEnd(30)} not measured: ${why}`);
        continue;
      }
      results.push([`tensor, ${backend}`, await sweep('tensor', backend)]);
    }
    for (const [label, r] of results) {
      const rate = (r.streams * r.length) / r.computeSeconds;
      console.log(`${describe(label, r)}  ×${(rate / kernelRate).toFixed(2)} the kernel path`);
    }
  }
}
