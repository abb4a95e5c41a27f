// The `import-model` job: the model is loaded and checked in a worker thread and written
// into a staging folder that the project store renames into place only when it succeeded.
import path from 'node:path';
import type { JobParams, JobResult } from '../../../../shared/jobs';
import type { ImportModelParams } from '../../../../shared/schemas/model';
import { UserError } from '../../errors';
import type { JobRunner } from '../../jobs/job-manager';
import { runInWorker } from '../../jobs/run-in-worker';
import { modelTasks } from '../../model/tasks';
import type { ProjectCache } from '../project-cache';

type Params = JobParams<'import-model'>;

export function importModelRunner(projects: ProjectCache): JobRunner<Params, JobResult<'import-model'>> {
  return async (params, ctx) => {
    const store = await projects.get(params.project);
    if (await store.has('model', params.id)) {
      throw new UserError(`The project already has a model '${params.id}': choose another id, or delete that model first.`);
    }
    if ([params.modelJson, params.pytorch, params.onnx].filter((f) => f !== undefined).length !== 1) {
      throw new UserError('Give exactly one model file to import: a TensorFlow.js model.json, a PyTorch state_dict (.pt, .safetensors) or an ONNX file (.onnx).');
    }
    const source = (params.modelJson ?? params.pytorch ?? params.onnx) as string;
    ctx.progress({ detail: {}, fraction: null, label: `importing ${path.basename(source)}` });
    const staged = await store.stageItem(
      'model',
      params.id,
      (outDir) => {
        const task: ImportModelParams = {
          ...(params.modelJson !== undefined
            ? { modelJson: path.resolve(params.modelJson) }
            : params.onnx !== undefined
              ? { onnx: path.resolve(params.onnx) }
              : { pytorch: path.resolve(source), keys: params.keys, nonlinearity: params.nonlinearity }),
          vocab: path.resolve(params.vocab),
          outDir,
          backend: params.backend,
        };
        return runInWorker(modelTasks.importModel, task, { cancel: ctx.cancel, onLog: (line) => ctx.log(line) });
      },
      { name: params.name, cancel: ctx.cancel },
    );
    return { model: { id: params.id, dir: staged.dir }, architecture: staged.meta.architecture, notes: staged.meta.notes };
  };
}
