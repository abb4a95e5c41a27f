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
  type JobRecords,
} from '../../../renderer/src/lib/state/job-records';
import type { JobProgressEvent, JobSummary } from '../../../shared/events';
import { jobTitle } from '../../../renderer/src/lib/state/job-titles';

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
    r = jobStarted(r, 'job-1', 'train', { project: '/p', id: 'small' }, 1000);
    r = jobProgressed(r, progress('job-1', 0.5));
    r = jobProgressed(r, progress('job-1', 1));
    r = jobEnded(r, { jobId: 'job-1', kind: 'train', seconds: 3, status: 'done', result: { ok: 1 } });
    expect(r['job-1']).toMatchObject({ status: 'done', params: { id: 'small' }, progress: { fraction: 1 }, samples: [{ fraction: 0.5 }, { fraction: 1 }] });
  });

  it('an event that arrives before jobStart replied makes the record, and the params join it later', () => {
    let r: JobRecords = jobProgressed({}, progress('job-2', 0.1, {}, 'analyze'), 5);
    r = jobStarted(r, 'job-2', 'analyze', { project: '/p', id: 'run' });
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
    const known = jobEnded(jobStarted({}, 'job-5', 'import-corpus', { project: '/p' }), { jobId: 'job-5', kind: 'import-corpus', seconds: 1, status: 'done', result: null });
    const r = fromSummaries(known, [summary('job-5', 'running'), summary('job-6', 'running')]);
    expect(r['job-5'].status).toBe('done');
    expect(r['job-6']).toMatchObject({ status: 'running', progress: { fraction: 0.3 }, started: Date.parse('2025-01-01T00:00:00.000Z') });
  });

  it('lists the jobs of a kind and a project, newest first', () => {
    let r: JobRecords = {};
    r = jobStarted(r, 'a', 'train', { project: '/p' }, 1);
    r = jobStarted(r, 'b', 'train', { project: '/q' }, 2);
    r = jobStarted(r, 'c', 'train', { project: '/p' }, 3);
    r = jobStarted(r, 'd', 'analyze', { project: '/p' }, 4);
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
