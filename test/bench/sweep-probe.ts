// One whole sweep (accumulateStateGradients: worker threads started, wasm backends set up,
// the sweep, the exact merge and transpose of the partial sums) in a process of its own, so
// that its peak memory is the sweep's: printed as JSON for gradients-bench.ts.
//   node --import tsx test/bench/sweep-probe.ts '<json: {H, E, B, T, D, workers, state}>'
// The worker script is the bundle named by $MNEMOSCOPE_WORKER_SCRIPT (the bench builds it).
import { readFileSync } from 'node:fs';
import { accumulateStateGradients } from '../../main/engine/gradients/parallel-driver';
import { benchModel, benchTokens } from './gradients-model';

const { H, E, B, T, D, workers, state, slotsPerBlock } = JSON.parse(process.argv[2]) as {
  H: number;
  E: number;
  B: number;
  T: number;
  D: number;
  workers: number;
  state: 'c' | 'h';
  /** sources per GEMM block, default the engine's choice */
  slotsPerBlock?: number;
};
const weights = benchModel(H, E);
const tokens = benchTokens(B * T);
const t0 = performance.now();
const r = await accumulateStateGradients(weights, tokens, { state, maxDelay: D, streams: B, backend: 'wasm', slotsPerBlock }, { workers });
const seconds = (performance.now() - t0) / 1000;
/** the process's peak resident set (VmHWM), MB: main thread and every worker thread */
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
console.log(
  JSON.stringify({
    seconds,
    computeSeconds: r.computeSeconds,
    workerSeconds: r.workerSeconds,
    cpuSeconds: r.cpuSeconds,
    flops: r.flops,
    gemmFlops: r.gemmFlops,
    gflops: r.gflops,
    flushed: r.flushedValues,
    pairs: r.pairs,
    peakMB: hwm ? Number(hwm[1]) / 1024 : process.resourceUsage().maxRSS / 1024,
  }),
);
