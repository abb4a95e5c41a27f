// How the UI's job records follow the engine's events: start, progress, end, late events,
// catching up from jobList, and the thinning of kept training samples.
import { describe, expect, it } from 'vitest';
import {
  addSample,
  cancelAsked,
  endSummary,
  fromSummaries,
  jobEnded,
  jobLogged,
  jobProgressed,
  jobStarted,
  jobsOf,
  MAX_LOG_LINES,
  parseParams,
  type JobRecords,
} from '../../../renderer/src/lib/state/job-records';
import type { JobProgressEvent, JobSummary } from '../../../shared/events';
import { jobTitle } from '../../../renderer/src/lib/state/job-titles';
import { trainDone } from './job-fixtures';

// Params as the engine reads them (defaults filled in), as the store keeps them.
const trainParams = (project: string, id = 'small') => parseParams('train', { project, corpus: 'brown', id });
const analyzeParams = (project: string, id = 'run') => parseParams('analyze', { project, model: 'small', corpus: 'brown', id });

const progress = (jobId: string, fraction: number, detail: unknown = { fraction }, kind = 'train'): JobProgressEvent => ({
  jobId,
  kind,
  progress: detail,
  fraction,
  secondsLeft: 10,
  label: `at ${fraction}`,
});

describe('job records', () => {
  it('start → progress → end, keeping the params and the training samples', () => {
    let r: JobRecords = {};
    r = jobStarted(r, 'job-1', 'train', trainParams('/p'), 1000);
    r = jobProgressed(r, progress('job-1', 0.5));
    r = jobProgressed(r, progress('job-1', 1));
    r = jobEnded(r, trainDone);
    expect(r['job-1']).toMatchObject({ status: 'done', params: { id: 'small' }, progress: { fraction: 1 }, samples: [{ fraction: 0.5 }, { fraction: 1 }] });
    const job = r['job-1'];
    // The record is of its kind: its params and result are the train job's, with no cast.
    expect(job.kind === 'train' && job.params?.config.epochs).toBe(13);
    expect(job.kind === 'train' && job.end?.status === 'done' && job.end.result.model.id).toBe('small');
  });

  it('an event that arrives before jobStart replied makes the record, and the params join it later', () => {
    let r: JobRecords = jobProgressed({}, progress('job-2', 0.1, {}, 'analyze'), 5);
    r = jobStarted(r, 'job-2', 'analyze', analyzeParams('/p'));
    expect(r['job-2']).toMatchObject({ kind: 'analyze', status: 'running', params: { id: 'run' }, started: 5, samples: [] });
  });

  it('ignores progress after the end, and keeps only the newest log lines', () => {
    let r = jobEnded(jobStarted({}, 'job-3', 'evaluate', null), { jobId: 'job-3', kind: 'evaluate', seconds: 1, status: 'cancelled' });
    const ended = r;
    r = jobProgressed(r, progress('job-3', 0.9, {}, 'evaluate'));
    expect(r).toBe(ended);
    for (let i = 0; i < MAX_LOG_LINES + 5; i++) r = jobLogged(r, { jobId: 'job-3', line: `line ${i}` });
    expect(r['job-3'].log).toHaveLength(MAX_LOG_LINES);
    expect(r['job-3'].log.at(-1)).toBe(`line ${MAX_LOG_LINES + 4}`);
    expect(endSummary(r['job-3'])).toMatch(/Cancelled/);
  });

  it('marks a cancel request until the job ends', () => {
    let r = cancelAsked(jobStarted({}, 'job-4', 'train', null), 'job-4');
    expect(r['job-4'].cancelRequested).toBe(true);
    r = jobEnded(r, { jobId: 'job-4', kind: 'train', seconds: 1, status: 'failed', error: 'x.txt: bad', errorKind: 'user' });
    expect(r['job-4']).toMatchObject({ cancelRequested: false, status: 'failed' });
    expect(endSummary(r['job-4'])).toBe('x.txt: bad');
    expect(cancelAsked(r, 'job-4')).toBe(r);
  });

  it('catches up from jobList without undoing an end it already knows', () => {
    const summary = (jobId: string, status: JobSummary['status']): JobSummary => ({
      jobId,
      kind: 'import-corpus',
      params: { project: '/p', id: jobId },
      status,
      started: '2025-01-01T00:00:00.000Z',
      cancelRequested: false,
      lastProgress: status === 'running' ? progress(jobId, 0.3, {}, 'import-corpus') : null,
      end: null,
    });
    const known = jobEnded(jobStarted({}, 'job-5', 'import-corpus', null), { jobId: 'job-5', kind: 'import-corpus', seconds: 1, status: 'cancelled' });
    const r = fromSummaries(known, [summary('job-5', 'running'), summary('job-6', 'running')]);
    expect(r['job-5'].status).toBe('cancelled');
    expect(r['job-6']).toMatchObject({ status: 'running', progress: { fraction: 0.3 }, started: Date.parse('2025-01-01T00:00:00.000Z') });
  });

  it("reads the params of jobList with the kind's schema: defaults filled in, null when they do not fit", () => {
    const summary = (jobId: string, params: unknown): JobSummary => ({
      jobId,
      kind: 'train',
      params,
      status: 'running',
      started: '2025-01-01T00:00:00.000Z',
      cancelRequested: false,
      lastProgress: null,
      end: null,
    });
    const r = fromSummaries({}, [summary('job-7', { project: '/p', corpus: 'brown', id: 'm', config: { epochs: 2 } }), summary('job-8', { project: '/p' })]);
    const fits = r['job-7'];
    expect(fits.kind === 'train' && fits.params ? [fits.params.id, fits.params.config.epochs, fits.params.backend] : null).toEqual(['m', 2, 'auto']);
    expect(r['job-8']).toMatchObject({ kind: 'train', params: null, status: 'running' });
    expect(jobsOf(r, 'train', '/p').map((j) => j.jobId)).toEqual(['job-7']);
  });

  it('a log line of a job not seen yet makes a record of no kind, which its first progress event gives one', () => {
    let r = jobLogged({}, { jobId: 'job-9', line: 'reading' }, 7);
    expect(r['job-9']).toMatchObject({ kind: null, params: null, log: ['reading'], started: 7 });
    expect(jobTitle(r['job-9'].kind, r['job-9'].params)).toBe('Job');
    r = jobProgressed(r, progress('job-9', 0.2, {}, 'evaluate'));
    expect(r['job-9']).toMatchObject({ kind: 'evaluate', log: ['reading'], progress: { fraction: 0.2 }, started: 7 });
    expect(jobsOf(r, 'evaluate').map((j) => j.jobId)).toEqual(['job-9']);
  });

  it('lists the jobs of a kind and a project, newest first', () => {
    let r: JobRecords = {};
    r = jobStarted(r, 'a', 'train', trainParams('/p'), 1);
    r = jobStarted(r, 'b', 'train', trainParams('/q'), 2);
    r = jobStarted(r, 'c', 'train', trainParams('/p'), 3);
    r = jobStarted(r, 'd', 'analyze', analyzeParams('/p'), 4);
    expect(jobsOf(r, 'train', '/p').map((j) => j.jobId)).toEqual(['c', 'a']);
    expect(jobsOf(r, 'train').map((j) => j.jobId)).toEqual(['c', 'b', 'a']);
  });

  it('thins old samples when full, keeping the newest half whole', () => {
    let s: unknown[] = [];
    for (let i = 0; i < 11; i++) s = addSample(s, i, 10);
    // 11 > 10: the older half [0..4] keeps every other one, the newer half [5..10] stays
    expect(s).toEqual([0, 2, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('names jobs for people', () => {
    expect(jobTitle('train', { id: 'small' })).toBe("Training of model 'small'");
    expect(jobTitle('evaluate', { model: 'small', split: 'test' })).toBe("Evaluation of model 'small' on test");
    expect(jobTitle('analyze', null)).toBe('Delay sweep');
  });
});
