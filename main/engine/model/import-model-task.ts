// The `import-model` worker task (see import-model.ts and import-pytorch.ts).
import type { ImportModelParams, ImportModelResult } from '../../../shared/schemas/model';
import { ImportModelParamsSchema } from '../../../shared/schemas/model';
import { UserError } from '../jobs/errors';
import type { TaskFn } from '../jobs/task-context';
import { selectBackend } from './backend';
import { importTfjsModel } from './import-model';
import { importPytorchModel } from './import-pytorch';
import { parseTaskParams } from './task-params';

export const importModelTask: TaskFn<ImportModelParams, ImportModelResult, never> = async (raw) => {
  const params = parseTaskParams('import-model', ImportModelParamsSchema, raw);
  const { modelJson, pytorch, ...rest } = params;
  if ((modelJson === undefined) === (pytorch === undefined)) {
    throw new UserError('import-model: give exactly one of a tfjs model.json and a PyTorch state_dict file');
  }
  await selectBackend(params.backend);
  if (pytorch !== undefined) return importPytorchModel({ ...rest, pytorch });
  return importTfjsModel({ ...rest, modelJson: modelJson! });
};
