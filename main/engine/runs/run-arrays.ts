// The .npy files of a run folder (see RUN_ARRAY_FILES and docs in run.json's `arrays`).
// Ḡ stacks are float32 like the model's weights; counts stay float64 (exact up to 2^53).
import path from 'node:path';
import { writeNpy, type NpyData } from '../project';
import type { StateGradientResult } from '../gradients';
import { RUN_ARRAY_FILES, type RunArrayInfo } from '../../../shared/schemas/run';
import type { SummarisedRun } from './summarise-accumulation';

export interface ArrayPart {
  file: string;
  data: NpyData;
  shape: number[];
  description: string;
}

function concat(blocks: Float32Array[]): Float32Array {
  const n = blocks.length ? blocks[0].length : 0;
  const out = new Float32Array(blocks.length * n);
  blocks.forEach((b, i) => out.set(b, i * n));
  return out;
}

export function runArrayParts(acc: StateGradientResult, s: SummarisedRun, normalised: boolean): ArrayPart[] {
  const delays = acc.maxDelay + 1;
  const H = acc.hiddenSize;
  const E = acc.inputSize;
  const a = s.analysis.arrays;
  const coords = normalised ? ' (of Ḡ·D, equal-variance coordinates)' : '';
  const parts: ArrayPart[] = [
    {
      file: RUN_ARRAY_FILES.tokens,
      data: acc.tokens,
      shape: [acc.streams, acc.length],
      description: 'int32 [streams, length]: exactly the tokens analysed (vocabulary ids), one row per stream',
    },
    { file: RUN_ARRAY_FILES.G, data: s.G, shape: [delays, H, E], description: 'float32 [delays, H, E]: Ḡ_τ, τ = 0..D' },
    {
      file: RUN_ARRAY_FILES.counts,
      data: acc.count,
      shape: [delays],
      description: 'float64 [delays]: (source, step) pairs averaged into Ḡ_τ',
    },
    {
      file: RUN_ARRAY_FILES.spectrum,
      data: Float32Array.from(a.spectrum),
      shape: a.spectrumShape,
      description: `float32 [delays, min(H, E)]: all singular values of each Ḡ_τ${coords}, descending`,
    },
    {
      file: RUN_ARRAY_FILES.V,
      data: Float32Array.from(a.right),
      shape: a.rightShape,
      description: `float32 [delays, k, E]: leading right singular vectors v_1..v_k per delay${coords}`,
    },
    {
      file: RUN_ARRAY_FILES.U,
      data: Float32Array.from(a.left),
      shape: a.leftShape,
      description: 'float32 [delays, k, H]: leading left singular vectors u_1..u_k per delay',
    },
  ];
  if (s.classG.length) {
    parts.push({
      file: RUN_ARRAY_FILES.classG,
      data: concat(s.classG),
      shape: [s.classG.length, delays, H, E],
      description: 'float32 [classes, delays, H, E]: Ḡ_τ per class of the source word, classes in config.classes order',
    });
  }
  if (s.wordG.length) {
    parts.push({
      file: RUN_ARRAY_FILES.wordG,
      data: concat(s.wordG),
      shape: [s.wordG.length, delays, H, E],
      description: 'float32 [words, delays, H, E]: Ḡ_τ per chosen source word, in config.words order',
    });
  }
  return parts;
}

/** Writes the parts into `dir` and returns what run.json lists about them. */
export async function writeRunArrays(dir: string, parts: ArrayPart[]): Promise<RunArrayInfo[]> {
  const infos: RunArrayInfo[] = [];
  for (const p of parts) {
    await writeNpy(path.join(dir, p.file), p.data, p.shape);
    const dtype = p.data instanceof Float32Array ? '<f4' : p.data instanceof Float64Array ? '<f8' : '<i4';
    infos.push({ file: p.file, dtype, shape: p.shape, description: p.description });
  }
  return infos;
}
