// `npm run bench -- gradients [--sizes=64,200] [--pairs=3] [--cells=lstm,gru,gru-classic,rnn-tanh]`:
// the state-gradient sweep's speed (issue §5). For H = E = 64 and 200 (D = 30, B = 20, random
// tokens, weights scaled so the cells are not saturated): flops, GFLOP/s, positions/s of an
// LSTM with 1 worker and with all cores, next to the backend's plain matMul rate measured in
// this run on the sweep's own GEMM shapes; then, per cell (--cells, 'none' for none), one
// worker's sweep of h and its share of matMul's rate on that cell's GEMM shape. Printed,
// never asserted.
//
// This machine's speed drifts by 20-30 % from one minute to the next, so the 1-worker and
// all-core runs alternate in pairs and the ratio is taken within each pair. The workers run
// the bundled worker (built first), as the CLI and the app do, so start-up is what users
// see. Two plain matMuls in two processes at once give the machine's own ceiling for the
// two-worker ratio.
//
// Flop counts: "nominal" = 2·G·H²·E per (source, step) with G gate blocks (8·H²·E for the
// LSTM), DESIGN §4's count for the unfolded recurrence (the figure to compare with other
// implementations); "executed" = what the folded GEMMs actually computed: for the LSTM about
// half of it, for the GRUs a third, for an RNN all (tangent-step.ts, tangent-cells.ts).
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WORKER_SCRIPT_ENV } from '../../main/engine/jobs/run-in-worker';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../main/engine/model/backend';
import type { Cell, RnnLmWeights } from '../../main/engine/model/rnn-weights';
import { CellSchema } from '../../shared/schemas/model';
import { tangentCell } from '../../main/engine/gradients/tangent-cells';
import { accumulateStateGradients, type StateGradientResult } from '../../main/engine/gradients/parallel-driver';
import { defaultSlotsPerBlock } from '../../main/engine/gradients/chunk-sweep';

const D = 30;
const B = 20;
const V = 1000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function gaussian(r: () => number, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r()) * scale);
}

/** Weights ~ N(0, 1/fan_in) and embeddings ~ N(0, 1/E): gates stay in their responsive range. */
function benchModel(H: number, E: number, cell: Cell = 'lstm'): RnnLmWeights {
  const r = rng(H * 31 + E);
  const GH = tangentCell(cell).gates * H;
  return {
    vocabSize: V,
    embeddingDim: E,
    embedding: gaussian(r, V * E, 1 / Math.sqrt(E)),
    layers: [
      {
        inputSize: E,
        units: H,
        kernel: gaussian(r, E * GH, 1 / Math.sqrt(E)),
        recurrentKernel: gaussian(r, H * GH, 1 / Math.sqrt(H)),
        bias: new Float32Array(GH),
        ...(cell === 'gru' ? { recurrentBias: new Float32Array(GH) } : {}),
        cell,
        recurrentActivation: 'sigmoid',
      },
    ],
    outputKernel: new Float32Array(H * V),
    outputBias: new Float32Array(V),
  };
}

/**
 * Plain matMul rate for [rows, k]·[k, n] (fresh right side per call if asked): best of 3
 * by wall time, and by CPU time (GFLOP per CPU-second, robust to other load on the machine).
 */
function matMulRate(rows: number, k: number, n: number, freshWeights: boolean): { wall: number; cpu: number } {
  const a = tf.randomNormal([rows, k]) as tf.Tensor2D;
  const w = tf.randomNormal([k, n]) as tf.Tensor2D;
  const once = () => {
    const ww = freshWeights ? tf.clone(w) : w;
    tf.matMul(a, ww).dispose();
    if (freshWeights) ww.dispose();
  };
  for (let i = 0; i < 3; i++) once();
  const reps = Math.max(3, Math.ceil(2e9 / (2 * rows * k * n)));
  let best = Infinity;
  let bestCpu = Infinity;
  for (let trial = 0; trial < 3; trial++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) once();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (performance.now() - t0) / reps);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000 / reps);
  }
  tf.dispose([a, w]);
  return { wall: (2 * rows * k * n) / best / 1e6, cpu: (2 * rows * k * n) / bestCpu / 1e6 };
}

/** Nominal GFLOP per CPU-second of the sweeps (null when the platform cannot tell). */
function perCpu(r: StateGradientResult): number | null {
  return r.cpuSeconds ? r.flops / r.cpuSeconds / 1e9 : null;
}

function steadyFlopsPerPosition(H: number, E: number): number {
  return 8 * H * H * E * D; // every position is the target of D delays ≥ 1 at steady state
}

function line(label: string, r: StateGradientResult, H: number, E: number): string {
  const positions = r.streams * r.length;
  const exec = r.gemmFlops / r.computeSeconds / 1e9;
  return (
    `${label.padEnd(10)} ${(r.flops / 1e9).toFixed(1).padStart(7)} GFLOP nominal  ` +
    `${r.gflops.toFixed(1).padStart(5)} GFLOP/s nominal (${exec.toFixed(1)} executed)  ` +
    `${(positions / r.computeSeconds).toFixed(1).padStart(7)} positions/s (steady state ${(
      (r.gflops * 1e9) /
      steadyFlopsPerPosition(H, E)
    ).toFixed(1)})  sweep ${r.computeSeconds.toFixed(2)} s, wall ${r.wallSeconds.toFixed(2)} s; ` +
    `CPU ${r.cpuSeconds?.toFixed(2) ?? '?'} s = ${perCpu(r)?.toFixed(1) ?? '?'} GFLOP/s per busy core; flushed ${r.flushedValues}` +
    (r.workerSeconds.length > 1 ? `; each worker's sweep ${r.workerSeconds.map((x) => x.toFixed(2)).join(' / ')} s` : '')
  );
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Builds the Node bundles and points the job runner at the bundled worker. */
function useBundledWorker(): void {
  execFileSync(process.execPath, [path.join(root, 'build', 'build.mjs'), '--main-only'], { cwd: root, stdio: 'ignore' });
  process.env[WORKER_SCRIPT_ENV] = path.join(root, 'dist', 'main', 'worker.js');
}

/** One probe process's matMul GFLOP/s (test/bench/matmul-probe.ts). */
function probe(rows: number, k: number, n: number, seconds: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test', 'bench', 'matmul-probe.ts'), ...[rows, k, n, seconds].map(String)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`matmul probe failed (exit ${code}): ${out}`));
      else resolve((JSON.parse(last) as { gflops: number }).gflops);
    });
  });
}

/** Plain matMul alone, then `cores` at once, then alone again: the machine's own multi-core GEMM scaling. */
async function machineCeiling(rows: number, k: number, n: number, cores: number): Promise<{ alone: number; together: number[] }> {
  const seconds = 6;
  const first = await probe(rows, k, n, seconds);
  const together = await Promise.all(Array.from({ length: cores }, () => probe(rows, k, n, seconds)));
  const second = await probe(rows, k, n, seconds);
  return { alone: (first + second) / 2, together };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;

/** Stream length per size: long enough (about 15–40 s for one worker) that start-up does not dominate. */
function lengthFor(H: number): number {
  return Math.max(40, Math.round(400 * (64 / H) ** 3));
}

export async function benchGradients(options: Map<string, string> = new Map()): Promise<void> {
  const sizes = (options.get('sizes') ?? '64,200').split(',').map(Number);
  const pairs = Math.max(1, Number(options.get('pairs') ?? 3));
  if (sizes.some((h) => !Number.isInteger(h) || h < 1)) throw new Error(`--sizes takes positive integers, got '${options.get('sizes')}'`);
  const cellsOption = options.get('cells') ?? 'lstm,gru,gru-classic,rnn-tanh';
  const cells = cellsOption === 'none' ? [] : cellsOption.split(',').map((c) => CellSchema.parse(c));
  const cores = os.availableParallelism();
  useBundledWorker();
  const info = await selectBackend('wasm');
  console.log(`backend: ${info.description}; ${cores} cores; D = ${D}, B = ${B}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  for (const H of sizes) {
    const E = H;
    const T = lengthFor(H);
    const weights = benchModel(H, E);
    const r = rng(7);
    const tokens = Int32Array.from({ length: B * T }, () => Math.floor(r() * V));
    const spb = defaultSlotsPerBlock(H, E);
    const sweepShape = matMulRate(spb * E, H, 2 * H, true);
    const unfolded = matMulRate(8 * (D + 1) * E, H, 4 * H, false);
    console.log(`\nH = E = ${H}, T = ${T} (${B * T} positions)`);
    console.log(
      `plain tfjs ${tf.getBackend()} matMul: ${sweepShape.wall.toFixed(1)} GFLOP/s (${sweepShape.cpu.toFixed(1)} per CPU-s) on the sweep's GEMM ` +
        `[${spb * E}×${H}]·[${H}×${2 * H}] with new weights each call; ${unfolded.wall.toFixed(1)} GFLOP/s (${unfolded.cpu.toFixed(1)} per CPU-s) on the unfolded ` +
        `[${8 * (D + 1) * E}×${H}]·[${H}×${4 * H}]`,
    );
    const best = Math.max(sweepShape.wall, unfolded.wall);
    const bestCpu = Math.max(sweepShape.cpu, unfolded.cpu);
    const bySweep: number[] = [];
    const byWall: number[] = [];
    const toMatMul: number[] = [];
    for (let pair = 1; pair <= pairs; pair++) {
      const [one, all] = [await sweep(weights, tokens, 1), await sweep(weights, tokens, cores)];
      console.log(line(`pair ${pair}, 1 worker`, one, H, E));
      console.log(line(`pair ${pair}, ${cores} workers`, all, H, E));
      bySweep.push(all.gflops / one.gflops);
      byWall.push(one.wallSeconds / all.wallSeconds);
      toMatMul.push(one.gemmFlops / one.computeSeconds / 1e9 / best);
      const c1 = perCpu(one);
      if (pair === 1 && c1) {
        console.log(`  1 worker per CPU-second: ${(c1 / bestCpu).toFixed(2)} nominal, ${(c1 / 2 / bestCpu).toFixed(2)} executed of matMul's rate per CPU-second`);
      }
    }
    const ceiling = await machineCeiling(spb * E, H, 2 * H, cores);
    const ceilingRatio = ceiling.together.reduce((a, b) => a + b, 0) / ceiling.alone;
    console.log(
      `sweep / matMul (1 worker, executed flops, by wall time): median ${median(toMatMul).toFixed(2)}, range ${range(toMatMul)} (target ≥ 0.5)`,
    );
    console.log(
      `${cores} workers / 1 over ${pairs} alternated pairs: by sweep time median ${median(bySweep).toFixed(2)}× (${range(bySweep)}), ` +
        `by wall time median ${median(byWall).toFixed(2)}× (${range(byWall)}) (target ≥ 1.7)`,
    );
    console.log(
      `machine ceiling: ${cores} plain matMul processes at once give ${ceilingRatio.toFixed(2)}× one alone ` +
        `(${ceiling.alone.toFixed(1)} GFLOP/s alone, ${ceiling.together.map((g) => g.toFixed(1)).join(' + ')} together)`,
    );
    if (cells.length > 0) console.log(`per cell, 1 worker, target h:`);
    for (const cell of cells) {
      const width = tangentCell(cell).width * H;
      const shape = matMulRate(spb * E, H, width, true);
      const one = await sweep(benchModel(H, E, cell), tokens, 1, 'h');
      const exec = one.gemmFlops / one.computeSeconds / 1e9;
      console.log(
        `  ${cell.padEnd(11)} ${(one.streams * one.length / one.computeSeconds).toFixed(1).padStart(7)} positions/s  ` +
          `${one.gflops.toFixed(1).padStart(5)} GFLOP/s nominal, ${exec.toFixed(1).padStart(5)} executed = ${(exec / shape.wall).toFixed(2)} of ` +
          `matMul's ${shape.wall.toFixed(1)} GFLOP/s on [${spb * E}×${H}]·[${H}×${width}]  (sweep ${one.computeSeconds.toFixed(2)} s, flushed ${one.flushedValues})`,
      );
    }
  }
}

function sweep(weights: RnnLmWeights, tokens: Int32Array, workers: number, state: 'c' | 'h' = 'c'): Promise<StateGradientResult> {
  return accumulateStateGradients(weights, tokens, { state, maxDelay: D, streams: B, backend: 'wasm' }, { workers });
}

export const runGradientsBench = benchGradients;
