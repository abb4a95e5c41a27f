// JobStarter, the one way forms start a job: busy while jobStart is on its way, the engine's
// refusal kept for the form's Alert, the new id handed on, and the record kept by the store.
import { describe, expect, it } from 'vitest';
import { CallFailedError } from '../../../shared/call-error';
import type { MnemoscopeApi } from '../../../shared/contract';
import { JobStarter } from '../../../renderer/src/lib/state/job-starter.svelte';
import { JobsState } from '../../../renderer/src/lib/state/jobs.svelte';

function engine(answer: () => Promise<{ jobId: string }>) {
  const api = { jobStart: answer } as unknown as MnemoscopeApi;
  const jobs = new JobsState(api);
  return { jobs, starter: new JobStarter(jobs) };
}

describe('JobStarter', () => {
  it('is busy until jobStart answers, then hands on the id and keeps the record with its params', async () => {
    let answer!: (v: { jobId: string }) => void;
    const { jobs, starter } = engine(() => new Promise((resolve) => (answer = resolve)));
    const started: string[] = [];
    const pending = starter.start('evaluate', { project: '/p', model: 'small', corpus: 'brown' }, (id) => started.push(id));
    expect(starter.starting).toBe(true);
    answer({ jobId: 'job-e1' });
    expect(await pending).toBe('job-e1');
    expect(starter).toMatchObject({ starting: false, error: null });
    expect(started).toEqual(['job-e1']);
    const [job] = jobs.of('evaluate', '/p');
    expect(job.params).toMatchObject({ model: 'small', corpus: 'brown', split: 'test' }); // the schema's default split
  });

  it("keeps the engine's refusal for the form, and clears it on the next attempt", async () => {
    let refuse = true;
    const { jobs, starter } = engine(async () => {
      if (refuse) throw new CallFailedError({ kind: 'user', message: "the project has no model 'small'" });
      return { jobId: 'job-e2' };
    });
    const started: string[] = [];
    expect(await starter.start('evaluate', { project: '/p', model: 'small', corpus: 'brown' }, (id) => started.push(id))).toBeNull();
    expect(starter).toMatchObject({ starting: false, error: "the project has no model 'small'" });
    expect(started).toEqual([]);
    expect(jobs.of('evaluate')).toEqual([]);
    refuse = false;
    expect(await starter.start('evaluate', { project: '/p', model: 'small', corpus: 'brown' })).toBe('job-e2');
    expect(starter.error).toBeNull();
  });
});
