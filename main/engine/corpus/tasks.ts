// The worker tasks of corpus/ (bound to their code in worker/task-registry.ts): types only, light to import.
import type { CorpusManifest } from '../../../shared/schemas/corpus';
import { defineTask } from '../jobs/task-context';
import type { ImportProgress } from './import-corpus';
import type { ImportCorpusParams } from './import-task';

export const corpusTasks = {
  importCorpus: defineTask<ImportCorpusParams, CorpusManifest, ImportProgress>('import-corpus'),
};
