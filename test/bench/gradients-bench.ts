// `npm run bench -- gradients`: the state-gradient sweep's speed (issue §5). For H = E = 64
// and 200 (D = 30, B = 20, random tokens, weights scaled so the LSTM is not saturated):
// flops, GFLOP/s, positions/s with 1 worker and with all cores, next to the backend's plain
// matMul rate measured in this run on the sweep's own GEMM shapes. Printed, never asserted.
//
// Flop counts: "nominal" = 8·H²·E per (source, step), DESIGN §4's count for the unfolded
// recurrence (the figure to compare with other implementations); "executed" = what the
// folded GEMMs actually computed, about half of it (tangent-step.ts explains the folding).
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../main/engine/model/backend';
import type { LstmLmWeights } from '../../main/engine/model/lstm-weights';
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
function benchModel(H: number, E: number): LstmLmWeights {
  const r = rng(H * 31 + E);
  return {
    vocabSize: V,
    embeddingDim: E,
    embedding: gaussian(r, V * E, 1 / Math.sqrt(E)),
    layers: [
      {
        inputSize: E,
        units: H,
        kernel: gaussian(r, E * 4 * H, 1 / Math.sqrt(E)),
        recurrentKernel: gaussian(r, H * 4 * H, 1 / Math.sqrt(H)),
        bias: new Float32Array(4 * H),
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
    `CPU ${r.cpuSeconds?.toFixed(2) ?? '?'} s = ${perCpu(r)?.toFixed(1) ?? '?'} GFLOP/s per busy core; flushed ${r.flushedValues}`
  );
}

export async function benchGradients(): Promise<void> {
  const cores = os.availableParallelism();
  const info = await selectBackend('wasm');
  console.log(`backend: ${info.description}; ${cores} cores; D = ${D}, B = ${B}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  // Long enough (about 15 s and 40 s for one worker) that starting the workers and
  // filling the delay ring do not dominate the two-worker comparison.
  for (const [H, E, T] of [
    [64, 64, 400],
    [200, 200, 40],
  ]) {
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
    const results: StateGradientResult[] = [];
    for (const workers of [1, cores]) {
      const res = await accumulateStateGradients(weights, tokens, { maxDelay: D, streams: B, backend: 'wasm' }, { workers });
      results.push(res);
      console.log(line(`${workers} worker${workers > 1 ? 's' : ''}`, res, H, E));
    }
    const best = Math.max(sweepShape.wall, unfolded.wall);
    const bestCpu = Math.max(sweepShape.cpu, unfolded.cpu);
    const [one, all] = results;
    const c1 = perCpu(one);
    const cN = perCpu(all);
    console.log(
      `sweep / matMul (1 worker): ${(one.gflops / best).toFixed(2)} nominal, ${(one.gemmFlops / one.computeSeconds / 1e9 / best).toFixed(2)} executed by wall time` +
        (c1 ? `; ${(c1 / bestCpu).toFixed(2)} nominal, ${(c1 / 2 / bestCpu).toFixed(2)} executed per CPU-second` : '') +
        ` (target ≥ 0.5)`,
    );
    console.log(
      `${cores} workers / 1: ${(all.gflops / one.gflops).toFixed(2)}× by sweep time, ${(one.wallSeconds / all.wallSeconds).toFixed(2)}× by wall time` +
        (c1 && cN ? `; per-core speed kept at ${((100 * cN) / c1).toFixed(0)}%, i.e. ${((cores * cN) / c1).toFixed(2)}× on ${cores} idle cores` : '') +
        ` (target ≥ 1.7); cores obtained: ${all.cpuSeconds ? (all.cpuSeconds / all.computeSeconds).toFixed(2) : '?'}`,
    );
  }
}

export const runGradientsBench = benchGradients;
