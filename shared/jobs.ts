// Long work is a job (DESIGN.md §1): `jobStart({kind, params})` returns a job id at once,
// progress events carry it, `jobCancel({jobId})` stops it, and it ends once as done,
// failed or cancelled. Each kind of job is one entry in `jobKinds`: the schemas of its
// params, its result and its progress. To add a kind, add its entry here and its runner
// in main/engine/handlers/job-runners.ts (the compiler asks for it).
import { z } from 'zod';
import { importCorpusJob } from './job-kinds/import-corpus';
import { trainJob } from './job-kinds/train';
import { importModelJob } from './job-kinds/import-model';
import { evaluateJob } from './job-kinds/evaluate';
import { analyzeJob } from './job-kinds/analyze';
import { mergeJob } from './job-kinds/merge';
import { installDemoJob } from './job-kinds/install-demo';
import { syntheticJob } from './job-kinds/synthetic';
import { ablateJob } from './job-kinds/ablate';

export interface JobKindSchemas {
  params: z.ZodType;
  result: z.ZodType;
  progress: z.ZodType;
}

export const jobKinds = {
  'import-corpus': importCorpusJob,
  train: trainJob,
  'import-model': importModelJob,
  evaluate: evaluateJob,
  analyze: analyzeJob,
  merge: mergeJob,
  'install-demo': installDemoJob,
  synthetic: syntheticJob,
  ablate: ablateJob,
} as const satisfies Record<string, JobKindSchemas>;

export type JobKind = keyof typeof jobKinds;
export const JOB_KINDS = Object.keys(jobKinds) as JobKind[];

/** What a runner receives (defaults applied). */
export type JobParams<K extends JobKind> = z.output<(typeof jobKinds)[K]['params']>;
/** What a caller sends. */
export type JobParamsInput<K extends JobKind> = z.input<(typeof jobKinds)[K]['params']>;
export type JobResult<K extends JobKind> = z.output<(typeof jobKinds)[K]['result']>;
export type JobProgressDetail<K extends JobKind> = z.output<(typeof jobKinds)[K]['progress']>;

export type JobStart = { [K in JobKind]: { kind: K; params: JobParams<K> } }[JobKind];
export type JobStartInput = { [K in JobKind]: { kind: K; params: JobParamsInput<K> } }[JobKind];

const startOptions = JOB_KINDS.map((kind) => z.strictObject({ kind: z.literal(kind), params: jobKinds[kind].params }));
/** `{kind, params}` for every kind in `jobKinds`, refused when the kind is unknown or the params do not fit it. */
export const JobStartSchema = z.discriminatedUnion(
  'kind',
  startOptions as [(typeof startOptions)[number], ...(typeof startOptions)[number][]],
) as unknown as z.ZodType<JobStart, JobStartInput>;

export const JobIdSchema = z.string().regex(/^job-[0-9a-z-]{1,64}$/, "is not a job id (they look like 'job-…')");

export const JobStatusSchema = z.enum(['running', 'done', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatusSchema>;
