// The worker tasks of model/ (bound to their code in worker/task-registry.ts): types only, light to import.
import type {
  DetectedModel,
  EvaluateResult,
  EvaluateTaskParams,
  ImportModelParams,
  ImportModelResult,
  TrainProgress,
  TrainResult,
  TrainTaskParams,
} from '../../../shared/schemas/model';
import { defineTask } from '../jobs/task-context';
import type { TrainShardParams, TrainShardSummary } from './data-parallel/shard-protocol';
import type { EvaluateProgress } from './evaluate-task';
import type { InspectModelParams } from './inspect-model-task';
import type { ProbeBackendParams, ProbedBackend } from './probe-backend-task';

export const modelTasks = {
  train: defineTask<TrainTaskParams, TrainResult, TrainProgress>('train'),
  /** one data-parallel training worker, driven by ShardPool through shared memory */
  trainShard: defineTask<TrainShardParams, TrainShardSummary>('train-shard'),
  evaluate: defineTask<EvaluateTaskParams, EvaluateResult, EvaluateProgress>('evaluate'),
  inspectModel: defineTask<InspectModelParams, DetectedModel>('inspect-model'),
  importModel: defineTask<ImportModelParams, ImportModelResult>('import-model'),
  /** selects a backend and says what ran (info); in the device worker where that loads native TensorFlow */
  probeBackend: defineTask<ProbeBackendParams, ProbedBackend>('probe-backend'),
};
