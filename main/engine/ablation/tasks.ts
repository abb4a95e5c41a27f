// The worker tasks of ablation/ (bound to their code in worker/task-registry.ts): types only,
// light to import. The whole run ('ablate', in its own thread like a sweep's 'analyze') and
// one share of the streams ('ablate-share', one per worker).
import type { AblateParamsResolved, AblateProgress } from '../../../shared/schemas/ablation';
import { defineTask } from '../jobs/task-context';
import type { AblateRunResult } from './ablate-run';
import type { ShareTaskParams, ShareTaskProgress, ShareTaskResult } from './share-task';

export const ablationTasks = {
  ablate: defineTask<AblateParamsResolved, AblateRunResult, AblateProgress>('ablate'),
  ablateShare: defineTask<ShareTaskParams, ShareTaskResult, ShareTaskProgress>('ablate-share'),
};
