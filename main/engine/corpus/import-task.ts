// Corpus import as a job task (for the worker registry in worker/task-registry.ts):
// progress goes to the job's context, cancellation is checked between batches.
import type { CorpusManifest } from '../../../shared/schemas/corpus';
import type { TaskContext } from '../jobs/task-context';
import { importCorpus, type CorpusImportOptions, type CorpusImportSource, type ImportProgress } from './import-corpus';

export interface ImportCorpusParams {
  source: CorpusImportSource;
  options: Omit<CorpusImportOptions, 'cancel'>;
  /** The staging folder the project store made for the new corpus. */
  outDir: string;
}

export async function importCorpusTask(params: ImportCorpusParams, ctx: TaskContext<ImportProgress>): Promise<CorpusManifest> {
  return importCorpus(params.source, { ...params.options, cancel: ctx.cancel }, params.outDir, (p) =>
    ctx.progress(p),
  );
}
