// One runner per job kind of shared/jobs.ts. The mapped type makes the compiler ask for a
// runner when a kind is added there; each result is checked against the kind's result
// schema before it is reported, like a procedure's output.
import { jobKinds, type JobKind, type JobParams, type JobResult } from '../../../shared/jobs';
import type { JobRunner } from '../jobs/job-manager';
import { importCorpusRunner } from './job-kinds/import-corpus';
import { trainRunner } from './job-kinds/train';
import { importModelRunner } from './job-kinds/import-model';
import { evaluateRunner } from './job-kinds/evaluate';
import { analyzeRunner } from './job-kinds/analyze';
import { mergeRunner } from './job-kinds/merge';
import { installDemoRunner } from './job-kinds/install-demo';
import { syntheticRunner } from './job-kinds/synthetic';
import { ablateRunner } from './job-kinds/ablate';
import type { ProjectCache } from './project-cache';

export type JobRunners = { [K in JobKind]: JobRunner<JobParams<K>, JobResult<K>> };

export interface RunnerDeps {
  projects: ProjectCache;
}

export function createJobRunners(deps: RunnerDeps): JobRunners {
  return {
    'import-corpus': importCorpusRunner(deps.projects),
    train: trainRunner(deps.projects),
    'import-model': importModelRunner(deps.projects),
    evaluate: evaluateRunner(deps.projects),
    analyze: analyzeRunner(deps.projects),
    merge: mergeRunner(deps.projects),
    'install-demo': installDemoRunner(deps.projects),
    synthetic: syntheticRunner(),
    ablate: ablateRunner(deps.projects),
  };
}

/** The runners, each wrapped to validate its result with the contract. */
export function checkedRunners(runners: JobRunners): JobRunners {
  const wrap = <K extends JobKind>(kind: K, run: JobRunners[K]): JobRunners[K] =>
    (async (params: JobParams<K>, ctx) => {
      const result = await (run as JobRunner<JobParams<K>, JobResult<K>>)(params, ctx);
      const checked = jobKinds[kind].result.safeParse(result);
      if (!checked.success) throw new Error(`the ${kind} job returned a result that does not match the contract: ${checked.error.message}`);
      return checked.data as JobResult<K>;
    }) as JobRunners[K];
  return Object.fromEntries(
    (Object.keys(runners) as JobKind[]).map((kind) => [kind, wrap(kind, runners[kind])]),
  ) as JobRunners;
}
