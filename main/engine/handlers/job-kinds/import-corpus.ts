// The `import-corpus` job: the corpus is read and written in a worker thread, into a
// staging folder the project store renames into place only when the import succeeded.
import path from 'node:path';
import type { JobParams, JobProgressDetail, JobResult } from '../../../../shared/jobs';
import type { CorpusImportSource, ImportCorpusParams, ImportProgress } from '../../corpus';
import { UserError } from '../../errors';
import type { JobRunner } from '../../jobs/job-manager';
import { runInWorker } from '../../jobs/run-in-worker';
import { corpusTasks } from '../../corpus/tasks';
import type { ProjectCache } from '../project-cache';

type Params = JobParams<'import-corpus'>;

function engineSource(source: Params['source']): CorpusImportSource {
  switch (source.kind) {
    case 'builtin-brown':
      return { kind: 'builtin-brown', maxFiles: source.maxFiles };
    case 'file':
      return { kind: 'file', path: path.resolve(source.path), ratio: source.ratio };
    case 'files':
      return { kind: 'files', train: path.resolve(source.train), valid: path.resolve(source.valid), test: path.resolve(source.test) };
  }
}

function label(p: ImportProgress): string {
  const what = p.phase === 'scan' ? 'counting sentences in' : 'importing';
  const split = p.split ? ` (${p.split})` : '';
  return `${what} ${path.basename(p.file)}${split}: ${p.linesRead.toLocaleString('en')} lines`;
}

export function importCorpusRunner(projects: ProjectCache): JobRunner<Params, JobResult<'import-corpus'>> {
  return async (params, ctx) => {
    const store = await projects.get(params.project);
    if (await store.has('corpus', params.id)) {
      throw new UserError(`The project already has a corpus '${params.id}': choose another id, or delete that corpus first.`);
    }
    const { meta } = await store.stageItem(
      'corpus',
      params.id,
      (outDir) => {
        const task: ImportCorpusParams = {
          source: engineSource(params.source),
          options: {
            id: params.id,
            name: params.name,
            format: params.format,
            tagset: params.tagset,
            preprocessing: params.preprocessing,
            statsVocabSize: params.statsVocabSize,
          },
          outDir,
        };
        return runInWorker(corpusTasks.importCorpus, task, {
          onProgress: (p) => {
            const detail: JobProgressDetail<'import-corpus'> = p;
            ctx.progress({ detail, fraction: p.bytesTotal > 0 ? p.bytesRead / p.bytesTotal : null, label: label(p) });
          },
          onLog: (line) => ctx.log(line),
          cancel: ctx.cancel,
        });
      },
      { name: params.name, cancel: ctx.cancel },
    );
    return { corpus: meta };
  };
}
