// Step 4: the memory profiles of a finished run: Ḡ (G.npy) and Ḡ^marker (the `marker` class
// of G_class.npy), each against d̂ of marker-a − marker-b built from the model's embeddings.
import path from 'node:path';
import type { DelayStack } from '../analysis';
import { dot, propertyVector } from '../analysis';
import { UserError } from '../errors';
import { loadModelWeights } from '../model/load-weights';
import type { NpyData } from '../project';
import { readRun } from '../runs';
import { MARKER_UNION_CLASS, PROPERTY_NAME, SYNTHETIC_CLASS_SET_ID } from './class-set';
import { type ProfileRow, memoryProfile } from './memory-profile';
import { CLASS_NAMES, type SyntheticSpec, syntheticWords } from './spec';

export interface RunProfiles {
  /** Ḡ over all sources: what the run itself reports for the property */
  all: ProfileRow[];
  /** Ḡ^marker: sources that are markers (the class-specific average of DESIGN §3) */
  marker: ProfileRow[];
  /** the largest |m − m(run.json)| over delays: the run's own summary must agree with `all` */
  summaryMismatch: number;
  /**
   * cos(d, ē_marker − ē_filler): how much of the property direction is simply "a marker, not a
   * filler". Near ±1, d̂ measures the memory of that a marker came as much as of its class.
   */
  presenceCosine: number;
}

function stackOf(data: NpyData, shape: readonly number[], index?: number): DelayStack {
  const [D1, H, E] = index === undefined ? shape : shape.slice(1);
  const n = D1 * H * E;
  const from = (index ?? 0) * n;
  return { data: Float64Array.from(data.subarray(from, from + n)), delays: D1, rows: H, cols: E };
}

export async function runProfiles(runDir: string, modelDir: string, spec: SyntheticSpec): Promise<RunProfiles> {
  const run = await readRun(runDir);
  const cls = run.record.config.classes.findIndex((c) => c.set === SYNTHETIC_CLASS_SET_ID && c.class === MARKER_UNION_CLASS);
  if (cls < 0) throw new UserError(`${path.join(runDir, 'run.json')}: the run did not accumulate the class '${MARKER_UNION_CLASS}'`);
  const G = await run.readArray('G');
  const classG = await run.readArray('classG');

  // Only the embedding matrix is needed; keep whatever backend this thread already runs.
  const loaded = await loadModelWeights(modelDir, 'auto');
  const weights = loaded.weights;
  const w = syntheticWords(spec);
  const pv = propertyVector(
    { name: PROPERTY_NAME, classA: CLASS_NAMES.markerA, classB: CLASS_NAMES.markerB },
    { [CLASS_NAMES.markerA]: w.markerA, [CLASS_NAMES.markerB]: w.markerB },
    loaded.vocab.words,
    { data: weights.embedding, rows: weights.vocabSize, cols: weights.embeddingDim },
  );
  const presence = propertyVector(
    { name: 'presence', classA: MARKER_UNION_CLASS, classB: CLASS_NAMES.filler },
    { [MARKER_UNION_CLASS]: [...w.markerA, ...w.markerB], [CLASS_NAMES.filler]: w.fillers },
    loaded.vocab.words,
    { data: weights.embedding, rows: weights.vocabSize, cols: weights.embeddingDim },
  );
  const presenceCosine = dot(pv.unit, presence.unit);
  const all = memoryProfile(stackOf(G.data, G.shape), pv.unit);
  const marker = memoryProfile(stackOf(classG.data, classG.shape, cls), pv.unit);
  let summaryMismatch = 0;
  run.record.summary.delays.forEach((d, t) => {
    const m = d.properties[PROPERTY_NAME]?.m;
    const mine = all[t]?.m;
    summaryMismatch = Math.max(summaryMismatch, m == null || mine == null ? (m === mine ? 0 : Infinity) : Math.abs(m - mine));
  });
  return { all, marker, summaryMismatch, presenceCosine };
}
