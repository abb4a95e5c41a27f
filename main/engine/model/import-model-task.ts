// The `import-model` worker task (see import-model.ts, import-pytorch.ts and import-onnx.ts).
import type { ImportModelParams, ImportModelResult } from '../../../shared/schemas/model';
import { ImportModelParamsSchema } from '../../../shared/schemas/model';
import { UserError } from '../errors';
import type { TaskFn } from '../jobs/task-context';
import { selectBackend } from './backend';
import { importTfjsModel } from './import-model';
import { importPytorchModel } from './import-pytorch';
import { importOnnxModel } from './import-onnx';
import { parseTaskParams } from './task-params';

export const importModelTask: TaskFn<ImportModelParams, ImportModelResult, never> = async (raw) => {
  const params = parseTaskParams('import-model', ImportModelParamsSchema, raw);
  const { modelJson, pytorch, onnx, ...rest } = params;
  if ([modelJson, pytorch, onnx].filter((f) => f !== undefined).length !== 1) {
    throw new UserError('import-model: give exactly one of a tfjs model.json, a PyTorch state_dict file and an ONNX file');
  }
  await selectBackend(params.backend);
  if (onnx !== undefined) return importOnnxModel({ onnx, vocab: rest.vocab, outDir: rest.outDir });
  if (pytorch !== undefined) return importPytorchModel({ ...rest, pytorch });
  return importTfjsModel({ ...rest, modelJson: modelJson! });
};
