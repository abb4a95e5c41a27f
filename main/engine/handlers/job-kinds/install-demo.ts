// The `install-demo` job: installDemoProject with the job's progress and cancellation. The
// project, if the engine has it open, is read again afterwards (as projectDemo does).
import type { JobParams, JobResult } from '../../../../shared/jobs';
import type { JobRunner } from '../../jobs/job-manager';
import { defaultDemoProjectDir, installDemoProject, type DemoInstallProgress } from '../../demo';
import type { ProjectCache } from '../project-cache';

/** Where each step sits in the whole install: the corpus is nearly all of it. */
const STEPS: Record<DemoInstallProgress['step'], [start: number, share: number]> = {
  corpus: [0, 0.9],
  model: [0.9, 0.05],
  run: [0.95, 0.05],
};

function installFraction(p: DemoInstallProgress): number {
  const [start, share] = STEPS[p.step];
  return start + share * Math.min(1, Math.max(0, p.fraction));
}

export function installDemoRunner(projects: ProjectCache): JobRunner<JobParams<'install-demo'>, JobResult<'install-demo'>> {
  return async (params, ctx) => {
    const result = await installDemoProject(params.dir ?? defaultDemoProjectDir(), {
      cancel: ctx.cancel,
      onProgress: (p) => ctx.progress({ detail: p, fraction: installFraction(p), label: p.label }),
    });
    for (const w of result.warnings) ctx.log(`warning: ${w}`);
    await projects.reopen(result.dir);
    return result;
  };
}
