// What the UI knows about each job, updated from the engine's events by pure functions
// (the .svelte.ts class around them only holds the result). A record exists from the
// moment a job is started here, or from its first event when another window started it,
// or from jobList when the page (re)loads mid-job.
import type { JobEndEvent, JobEndOf, JobLogEvent, JobProgressEvent, JobSummary } from '../../../../shared/events';
import type { z } from 'zod';
import { jobKinds, type JobKind, type JobParams, type JobStatus } from '../../../../shared/jobs';

interface JobRecordFields {
  jobId: string;
  status: JobStatus;
  /** Set when cancel was asked for and the job has not ended yet. */
  cancelRequested: boolean;
  progress: JobProgressEvent | null;
  /** The latest log lines (at most MAX_LOG_LINES). */
  log: string[];
  /** The kind's progress details seen so far (training curves), thinned to at most MAX_SAMPLES. */
  samples: unknown[];
  /** Milliseconds since the epoch, for ordering. */
  started: number;
}

/** A job of kind K: its params and its end are the kind's (shared/jobs.ts). */
export interface JobRecordOf<K extends JobKind> extends JobRecordFields {
  kind: K;
  /** What was asked, as the engine reads it (null until known, for a job first seen through an event). */
  params: JobParams<K> | null;
  end: JobEndOf<K> | null;
}

/** A job whose kind is not known yet: only a log line of it has arrived. */
export interface UnknownJobRecord extends JobRecordFields {
  kind: null;
  params: null;
  end: null;
}

type RecordByKind = { [K in JobKind]: JobRecordOf<K> };
/** Any job the UI knows of, discriminated by `kind`. */
export type JobRecord = RecordByKind[JobKind] | UnknownJobRecord;

export type JobRecords = Readonly<Record<string, JobRecord>>;

export const MAX_LOG_LINES = 200;
export const MAX_SAMPLES = 2000;

/** Kinds whose every progress detail is kept (their views draw them). */
const SAMPLED_KINDS = new Set<string>(['train']);

const isJobKind = (kind: string): kind is JobKind => Object.hasOwn(jobKinds, kind);

// The params schema of each kind, typed so that indexing it with a kind K gives K's schema.
const paramSchemas: { [K in JobKind]: { params: z.ZodType<JobParams<K>> } } = jobKinds;

/** The params of a job of kind K as the engine reads them, or null when they do not fit its schema. */
export function parseParams<K extends JobKind>(kind: K, params: unknown): JobParams<K> | null {
  const parsed = paramSchemas[kind].params.safeParse(params);
  return parsed.success ? parsed.data : null;
}

/**
 * A record of kind K as one of the union. Sound, since its kind, params and end are all K's,
 * but the compiler cannot follow a generic K into a union; this is the one place it is told.
 */
function widen<K extends JobKind>(record: JobRecordOf<K>): JobRecord {
  return record as RecordByKind[JobKind];
}

function isOfKind<K extends JobKind>(record: JobRecord | JobRecordOf<K>, kind: K): record is JobRecordOf<K> {
  return record.kind === kind;
}

function isEndOfKind<K extends JobKind>(end: JobEndEvent | JobEndOf<K>, kind: K): end is JobEndOf<K> {
  return end.kind === kind;
}

const fresh = (jobId: string, now: number): JobRecordFields => ({
  jobId,
  status: 'running',
  cancelRequested: false,
  progress: null,
  log: [],
  samples: [],
  started: now,
});

/** The job's record as one of kind K: the one kept, or a new one (with the log of a kind-less one). */
function recordOf<K extends JobKind>(records: JobRecords, jobId: string, kind: K, now: number): JobRecordOf<K> {
  const old = records[jobId];
  if (old && isOfKind(old, kind)) return old;
  return { ...(old ?? fresh(jobId, now)), kind, params: null, end: null };
}

/** Keeps every other sample of the older half when the list is full, so long runs stay drawable. */
export function addSample(samples: readonly unknown[], sample: unknown, max = MAX_SAMPLES): unknown[] {
  const next = [...samples, sample];
  if (next.length <= max) return next;
  const half = Math.floor(next.length / 2);
  return [...next.slice(0, half).filter((_, i) => i % 2 === 0), ...next.slice(half)];
}

export function jobStarted<K extends JobKind>(records: JobRecords, jobId: string, kind: K, params: JobParams<K> | null, now = Date.now()): JobRecords {
  return { ...records, [jobId]: widen({ ...recordOf(records, jobId, kind, now), params }) };
}

export function jobProgressed(records: JobRecords, event: JobProgressEvent, now = Date.now()): JobRecords {
  if (!isJobKind(event.kind)) return records; // the schema's kinds are the engine's; nothing to show for another
  const old = recordOf(records, event.jobId, event.kind, now);
  if (old.status !== 'running') return records; // a late event after the end changes nothing
  const samples = SAMPLED_KINDS.has(event.kind) ? addSample(old.samples, event.progress) : old.samples;
  return { ...records, [event.jobId]: widen({ ...old, progress: event, samples }) };
}

function withEnd<K extends JobKind>(records: JobRecords, event: JobEndOf<K>, now: number): JobRecord {
  return widen({ ...recordOf(records, event.jobId, event.kind, now), status: event.status, end: event, cancelRequested: false });
}

export function jobEnded(records: JobRecords, event: JobEndEvent, now = Date.now()): JobRecords {
  return { ...records, [event.jobId]: withEnd(records, event, now) };
}

export function jobLogged(records: JobRecords, event: JobLogEvent, now = Date.now()): JobRecords {
  const old: JobRecord = records[event.jobId] ?? { ...fresh(event.jobId, now), kind: null, params: null, end: null };
  const log = [...old.log, event.line].slice(-MAX_LOG_LINES);
  return { ...records, [event.jobId]: { ...old, log } };
}

export function cancelAsked(records: JobRecords, jobId: string): JobRecords {
  const old = records[jobId];
  if (!old || old.status !== 'running') return records;
  return { ...records, [jobId]: { ...old, cancelRequested: true } };
}

function fromSummary<K extends JobKind>(records: JobRecords, s: JobSummary, kind: K): JobRecord {
  const base = recordOf(records, s.jobId, kind, Date.parse(s.started));
  const end = s.end && isEndOfKind(s.end, kind) ? s.end : null;
  return widen({
    ...base,
    params: parseParams(kind, s.params),
    status: s.status,
    cancelRequested: s.status === 'running' && s.cancelRequested,
    progress: base.progress ?? s.lastProgress,
    end,
    started: Date.parse(s.started),
  });
}

/** Records from jobList (after a reload or reconnect); what is known locally and newer wins. */
export function fromSummaries(records: JobRecords, summaries: readonly JobSummary[]): JobRecords {
  const next: Record<string, JobRecord> = { ...records };
  for (const s of summaries) {
    const old = next[s.jobId];
    if ((old && old.status !== 'running') || !isJobKind(s.kind)) continue;
    next[s.jobId] = fromSummary(next, s, s.kind);
  }
  return next;
}

/** The project folder a job works on, when its params name one. */
export function jobProject(record: JobRecord): string | null {
  return record.params && 'project' in record.params ? record.params.project : null;
}

/** Jobs of a kind, optionally of one project, newest first. */
export function jobsOf<K extends JobKind>(records: JobRecords, kind: K, project?: string | null): JobRecordOf<K>[] {
  return Object.values(records)
    .flatMap((r) => (isOfKind(r, kind) && (project == null || jobProject(r) === project) ? [r] : []))
    .sort((a, b) => b.started - a.started);
}

/** What a person reads about a job's end: the engine's message for a failure. */
export function endSummary(record: JobRecord): string | null {
  const end = record.end;
  if (!end) return null;
  if (end.status === 'failed') return end.error;
  if (end.status === 'cancelled') return 'Cancelled; nothing was kept.';
  return null;
}
