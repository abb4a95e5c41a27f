// Events the engine pushes to every connected UI: job progress, job end, and log lines.
// Electron sends each on its own channel; the WebSocket wraps them as {type:'event', event}.
import { z } from 'zod';
import type { EventName } from './names';
import { JOB_KINDS, JobIdSchema, JobStatusSchema, jobKinds, type JobKind, type JobResult } from './jobs';

export const JobProgressEventSchema = z.object({
  jobId: JobIdSchema,
  kind: z.string(),
  /** The kind's own progress record (see `jobKinds[kind].progress`). */
  progress: z.unknown(),
  /** 0..1, or null while the total is unknown. */
  fraction: z.number().min(0).max(1).nullable(),
  secondsLeft: z.number().nonnegative().nullable(),
  /** One line for people: what is being done right now. */
  label: z.string(),
});
export type JobProgressEvent = z.infer<typeof JobProgressEventSchema>;

/** How a job of one kind ends; the kind tells which result a done job carries. */
function jobEndOf(kind: JobKind) {
  const base = { jobId: JobIdSchema, kind: z.literal(kind), seconds: z.number().nonnegative() };
  return z.discriminatedUnion('status', [
    /** `result` is the kind's (`jobKinds[kind].result`), checked by the engine before it is sent. */
    z.object({ ...base, status: z.literal('done'), result: jobKinds[kind].result }),
    /** `error` says what went wrong and, where it can, what to do about it. */
    z.object({ ...base, status: z.literal('failed'), error: z.string(), errorKind: z.enum(['user', 'internal']) }),
    z.object({ ...base, status: z.literal('cancelled') }),
  ]);
}
type EndBase<K extends JobKind> = { jobId: string; kind: K; seconds: number };
/** The end of a job of kind K (what jobEndOf(K) accepts): `result` is `JobResult<K>` when it is done. */
export type JobEndOf<K extends JobKind> =
  | (EndBase<K> & { status: 'done'; result: JobResult<K> })
  | (EndBase<K> & { status: 'failed'; error: string; errorKind: 'user' | 'internal' })
  | (EndBase<K> & { status: 'cancelled' });
/** The end of any job, discriminated by `kind`, then by `status`. */
export type JobEndEvent = { [K in JobKind]: JobEndOf<K> }[JobKind];

const endOptions = JOB_KINDS.map((kind) => jobEndOf(kind));
export const JobEndEventSchema = z.discriminatedUnion(
  'kind',
  endOptions as [(typeof endOptions)[number], ...(typeof endOptions)[number][]],
) as unknown as z.ZodType<JobEndEvent>;

export const JobLogEventSchema = z.object({ jobId: JobIdSchema, line: z.string() });
export type JobLogEvent = z.infer<typeof JobLogEventSchema>;

export const eventSchemas = {
  jobProgress: JobProgressEventSchema,
  jobEnd: JobEndEventSchema,
  jobLog: JobLogEventSchema,
} as const satisfies Record<EventName, z.ZodType>;

export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;

/** One event with its name, as the engine emits it and the WebSocket carries it. */
export type EngineEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

export const EngineEventSchema: z.ZodType<EngineEvent> = z.discriminatedUnion('name', [
  z.object({ name: z.literal('jobProgress'), payload: JobProgressEventSchema }),
  z.object({ name: z.literal('jobEnd'), payload: JobEndEventSchema }),
  z.object({ name: z.literal('jobLog'), payload: JobLogEventSchema }),
]);

/** A job as jobList reports it: what was asked, where it stands, and how it ended. */
export const JobSummarySchema = z.object({
  jobId: JobIdSchema,
  kind: z.string(),
  params: z.unknown(),
  status: JobStatusSchema,
  started: z.iso.datetime({ offset: true }),
  cancelRequested: z.boolean(),
  /** The latest progress, so a UI that connects mid-job can show it at once. */
  lastProgress: JobProgressEventSchema.nullable(),
  end: JobEndEventSchema.nullable(),
});
export type JobSummary = z.infer<typeof JobSummarySchema>;
