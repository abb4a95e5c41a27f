// The `inspect-model` worker task: the import form's preview (detect-model-file.ts). Reading
// and checking a model file is parsing work of up to the readers' size limits, so it runs in a
// worker like the import itself, never on the engine's thread (in the desktop app, Electron's
// main process).
import type { DetectedModel } from '../../../shared/schemas/model';
import { inspectModelFile, type InspectOptions } from './detect-model-file';

export interface InspectModelParams extends InspectOptions {
  path: string;
}

export async function inspectModelTask(params: InspectModelParams): Promise<DetectedModel> {
  return inspectModelFile(params.path, { keys: params.keys, nonlinearity: params.nonlinearity });
}
