// A job run through the engine's API (`createEngine().api`), as the app and the WebSocket run
// it: jobStart, then its jobProgress events on the command's progress line until its jobEnd.
// Ctrl-C cancels the job. A failed job's message becomes the command's error, with its kind.
import { CallFailedError } from '../../shared/call-error';
import type { JobKind, JobParamsInput, JobProgressDetail, JobResult } from '../../shared/jobs';
import type { JobEndEvent, JobProgressEvent } from '../../shared/events';
import { createEngine, type Engine } from '../engine/handlers/create-engine';
import type { CommandIO } from './command-runner';

export interface EngineJobOptions<K extends JobKind> {
  /**
   * Shows a progress event in place of the default (the engine's label, fraction and time
   * left on the progress line): `detail` is the job kind's own progress record.
   */
  onProgress?: (detail: JobProgressDetail<K>, event: JobProgressEvent) => void;
  /** Where the job's log lines go (default: io.info, a line on stderr unless --json). */
  onLog?: (line: string) => void;
}

/**
 * A command's engine, closed when `body` ends (running jobs cancelled). Every progress event
 * reaches the command (no throttle): the progress line throttles what it shows, and a
 * training epoch's end must never be replaced by the next batch's progress.
 */
export async function withEngine<T>(body: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = createEngine({ jobs: { progressIntervalMs: 0 } });
  try {
    return await body(engine);
  } finally {
    await engine.close();
  }
}

export async function runEngineJob<K extends JobKind>(
  engine: Engine,
  kind: K,
  params: JobParamsInput<K>,
  io: CommandIO,
  options: EngineJobOptions<K> = {},
): Promise<JobResult<K>> {
  let jobId: string | null = null;
  // Events can come before jobStart answers: keep the end of any job until the id is known.
  const ends = new Map<string, JobEndEvent>();
  let settle: ((end: JobEndEvent) => void) | null = null;
  const offProgress = engine.api.onJobProgress((e) => {
    if (e.jobId !== jobId) return;
    if (options.onProgress) options.onProgress(e.progress as JobProgressDetail<K>, e);
    else io.progress({ fraction: e.fraction, label: e.label, secondsLeft: e.secondsLeft });
  });
  const onLog = options.onLog ?? ((line: string) => io.info(line));
  const offLog = engine.api.onJobLog((e) => {
    if (e.jobId === jobId) onLog(e.line);
  });
  const offEnd = engine.api.onJobEnd((e) => {
    if (e.jobId === jobId && settle) settle(e);
    else ends.set(e.jobId, e);
  });
  const onAbort = () => {
    if (jobId) void engine.api.jobCancel({ jobId });
  };
  try {
    const started = await engine.api.jobStart({ kind, params } as Parameters<Engine['api']['jobStart']>[0]);
    jobId = started.jobId;
    io.signal.addEventListener('abort', onAbort);
    if (io.signal.aborted) onAbort();
    const end = ends.get(jobId) ?? (await new Promise<JobEndEvent>((resolve) => (settle = resolve)));
    if (end.status === 'done') return end.result as JobResult<K>;
    if (end.status === 'cancelled') throw new CallFailedError({ kind: 'cancelled', message: `the ${kind} job was cancelled` });
    throw new CallFailedError({ kind: end.errorKind, message: end.error });
  } finally {
    io.signal.removeEventListener('abort', onAbort);
    offProgress();
    offLog();
    offEnd();
  }
}
