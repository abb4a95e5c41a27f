// Events the engine pushes to every connected UI: job progress, job end, and log lines.
// Electron sends each on its own channel; the WebSocket wraps them as {type:'event', event}.
import { z } from 'zod';
import type { EventName } from './names';
import { JobIdSchema, JobStatusSchema } from './jobs';

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

const EndBase = { jobId: JobIdSchema, kind: z.string(), seconds: z.number().nonnegative() };
export const JobEndEventSchema = z.discriminatedUnion('status', [
  /** `result` follows `jobKinds[kind].result`. */
  z.object({ ...EndBase, status: z.literal('done'), result: z.unknown() }),
  /** `error` says what went wrong and, where it can, what to do about it. */
  z.object({ ...EndBase, status: z.literal('failed'), error: z.string(), errorKind: z.enum(['user', 'internal']) }),
  z.object({ ...EndBase, status: z.literal('cancelled') }),
]);
export type JobEndEvent = z.infer<typeof JobEndEventSchema>;

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
