// The `import-model` worker task (see import-model.ts).
import type { ImportModelParams, ImportModelResult } from '../../../shared/schemas/model';
import { ImportModelParamsSchema } from '../../../shared/schemas/model';
import type { TaskFn } from '../jobs/task-context';
import { selectBackend } from './backend';
import { importTfjsModel } from './import-model';
import { parseTaskParams } from './task-params';

export const importModelTask: TaskFn<ImportModelParams, ImportModelResult, never> = async (raw) => {
  const params = parseTaskParams('import-model', ImportModelParamsSchema, raw);
  await selectBackend(params.backend);
  return importTfjsModel(params);
};
