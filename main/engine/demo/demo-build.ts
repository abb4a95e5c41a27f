// What `npm run train:demo` (build/train-demo.ts) decides with: whether an item of its
// scratch project is what the spec asks for (so `--reuse` may skip making it again), where
// the model copied from the earlier demo is found, and the curves demo.json keeps of a run.
// Kept apart from the script so that the tests can check these rules.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors';
import { learningRateAt } from '../model/train-loop';
import { readJsonFile } from '../project';
import { DEFAULT_PREPROCESSING, type CorpusManifest } from '../../../shared/schemas/corpus';
import { countParameters, ModelMetaSchema, TrainConfigSchema, type ModelMeta, type TrainConfig, type TrainConfigInput } from '../../../shared/schemas/model';
import type { RunRecord } from '../../../shared/schemas/run';
import { applyRecipe } from '../../../shared/schemas/train-recipes';
import { DemoFileSchema, type DemoCurves, type DemoFile } from './demo-manifest';
import { DEMO_CORPUS, DEMO_FILES, type DemoCopiedModelSpec, type DemoTrainedModelSpec } from './demo-spec';
import { sha256File } from './file-digest';

/** A spec's training options resolved as the train task resolves them and training.json records them. */
export function resolvedTrainConfig(input: TrainConfigInput): TrainConfig {
  const config = TrainConfigSchema.parse(applyRecipe(input));
  return { ...config, learningRate: learningRateAt(config, 1) };
}

/** `key recorded (wanted)` for every option where `recorded` is not `wanted`. */
export function configDifferences(recorded: Record<string, unknown>, wanted: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(wanted), ...Object.keys(recorded)])].sort();
  return keys
    .filter((k) => JSON.stringify(recorded[k] ?? null) !== JSON.stringify(wanted[k] ?? null))
    .map((k) => `${k} ${JSON.stringify(recorded[k] ?? null)} (wanted ${JSON.stringify(wanted[k] ?? null)})`);
}

/**
 * Why a model's training.json is not the model `spec` trains (null: it is): finished, not
 * cancelled, on the demo corpus (`corpusId`; null: token ids given directly, as a --smoke
 * build trains), on the spec's backend, with exactly the resolved options.
 */
export function trainedModelMismatch(meta: ModelMeta, spec: DemoTrainedModelSpec, corpusId: string | null = DEMO_CORPUS.id): string | null {
  const o = meta.origin;
  if (o.kind !== 'trained') return 'it was imported, not trained';
  if (!o.complete) return 'its training has not finished';
  if (o.cancelled) return 'its training was cancelled';
  if (o.bestEpoch === null) return 'it has no finished epoch';
  if (o.corpus.id !== corpusId) {
    const name = (id: string | null) => (id === null ? 'token ids given directly' : `corpus '${id}'`);
    return `it was trained on ${name(o.corpus.id)}, not ${name(corpusId)}`;
  }
  if (o.backend.name !== spec.backend) return `it was trained on the ${o.backend.name} backend, not ${spec.backend}`;
  // Models trained before data-parallel training record no worker count: they ran in one thread.
  const diff = configDifferences({ ...o.config, workers: o.config.workers ?? 1 }, resolvedTrainConfig(spec.config));
  return diff.length ? `its options differ: ${diff.join(', ')}` : null;
}

/** Why a corpus is not the demo's (null: it is): the built-in Brown corpus, all files, default preprocessing. */
export function corpusMismatch(c: CorpusManifest): string | null {
  if (c.source.kind !== DEMO_CORPUS.source.kind) return `it is not the built-in Brown corpus (${c.source.kind})`;
  if (c.source.maxFiles !== null) return `it holds only ${c.source.maxFiles} Brown files`;
  if (c.split.kind !== 'brown-files') return `it is not split by Brown file (${c.split.kind})`;
  const diff = configDifferences(c.preprocessing, DEFAULT_PREPROCESSING);
  return diff.length ? `its preprocessing differs: ${diff.join(', ')}` : null;
}

/** The model folder of a version 1 demo. */
const V1_MODEL_DIR = 'model';

/** Whether every model file is in the folder. */
async function completeModelDir(dir: string): Promise<boolean> {
  for (const f of DEMO_FILES.modelFiles) {
    const ok = await fs.stat(path.join(dir, f)).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!ok) return false;
  }
  return true;
}

/** Only what an earlier demo.json (version 1 or 2) says about a model's files. */
const EarlierManifestSchema = z.object({
  schemaVersion: z.number().int(),
  model: z.object({ id: z.string(), files: z.array(DemoFileSchema) }).optional(),
  models: z.array(z.object({ id: z.string(), files: z.array(DemoFileSchema) })).optional(),
});

export interface CopiedModelSource {
  /** the folder holding the files */
  dir: string;
  /** that folder relative to the earlier demo (one of spec.from) */
  from: string;
  /** the files, with the digests the earlier demo.json records for them (or computed here when it records none) */
  files: DemoFile[];
  meta: ModelMeta;
}

/**
 * Finds the model `spec` copies in an earlier build/demo (its own folder in the current layout,
 * or model/ of a version 1 demo), checks its files against that demo's digests and its
 * training.json against the spec, and refuses clearly when it is not there or not that model.
 */
export async function findCopiedModel(demoDir: string, spec: DemoCopiedModelSpec): Promise<CopiedModelSource> {
  const tried: string[] = [];
  for (const from of spec.from) {
    const dir = path.join(demoDir, from);
    tried.push(dir);
    if (!(await completeModelDir(dir))) continue;
    const manifestFile = path.join(demoDir, DEMO_FILES.manifest);
    const earlier = await readJsonFile(manifestFile, EarlierManifestSchema, DEMO_FILES.manifest).catch(() => null);
    // A version 1 demo.json describes the single model/ folder; a later one each models/<id>/.
    const recorded =
      earlier?.schemaVersion === 1
        ? from === V1_MODEL_DIR
          ? earlier.model?.files
          : undefined
        : earlier?.models?.find((m) => m.id === spec.id)?.files;
    const files: DemoFile[] = [];
    for (const file of [...DEMO_FILES.modelFiles].sort()) {
      const full = path.join(dir, file);
      const digest = await sha256File(full);
      const want = recorded?.find((f) => f.file === file);
      if (want && want.sha256 !== digest) {
        throw new UserError(`${full} does not match the digest in ${manifestFile}: the earlier demo is damaged, so '${spec.id}' cannot be copied from it`);
      }
      files.push({ file, bytes: (await fs.stat(full)).size, sha256: digest });
    }
    const meta = await readJsonFile(path.join(dir, 'training.json'), ModelMetaSchema, 'training.json');
    const o = meta.origin;
    const diff = o.kind === 'trained' ? configDifferences(o.config, resolvedTrainConfig(spec.config)) : ['it was imported, not trained'];
    if (diff.length) throw new UserError(`${dir} is not the model '${spec.id}' copies (${diff.join(', ')})`);
    return { dir, from, files, meta };
  }
  throw new UserError(
    `'${spec.id}' is copied unchanged from the demo built before, but no complete model folder is there ` +
      `(looked in ${tried.join(' and ')}); restore build/demo from version control`,
  );
}

/** Parameters of the model as the app builds it (embedding, recurrent layers, softmax with bias). */
export function parameterCount(meta: ModelMeta): number {
  return countParameters(meta.architecture);
}

/** The per-delay curves of a run that the READMEs quote: σ₁ (with its SE), Σσ, the ratios, and m and cos(d, H₅) per property. */
export function demoCurves(record: RunRecord): DemoCurves {
  const delays = record.summary.delays;
  const properties: DemoCurves['properties'] = {};
  for (const p of record.config.properties) {
    properties[p.name] = {
      m: delays.map((d) => d.properties[p.name]?.m ?? null),
      cosH5: delays.map((d) => d.properties[p.name]?.cos[4] ?? null),
    };
  }
  return {
    sigma1: delays.map((d) => d.sigma1),
    sigma1Se: delays.map((d) => d.se?.sigma1?.se ?? null),
    sum: delays.map((d) => d.sum),
    ratio1: delays.map((d) => d.ratio1),
    ratio5: delays.map((d) => d.ratio5),
    properties,
  };
}
