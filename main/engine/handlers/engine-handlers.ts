// engineInfo and the settings procedures.
import os from 'node:os';
import { APP } from '../app-version';
import type { EngineContext, HandlerGroup } from './types';
import { runOnDevice } from '../jobs/device-worker';
import { modelTasks } from '../model/tasks';
import { nativeTensorflowInstalled, needsDevice } from '../jobs/device-route';

function systemInfo() {
  return {
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
}

export function engineHandlers(ctx: EngineContext): HandlerGroup<'engineInfo' | 'settingsGet' | 'settingsSet'> {
  return {
    engineInfo: async ({ backend }) => {
      // Loaded on first use: TensorFlow.js takes a while to load and most calls never need it.
      const { selectBackend, cudaStatus } = await import('../model/backend');
      const { chooseSweepPath } = await import('../gradients/tensor-path/sweep-path');
      // native TensorFlow is loaded only in the process's device worker (jobs/device-route.ts)
      const info = needsDevice(backend, nativeTensorflowInstalled()) ? (await runOnDevice(modelTasks.probeBackend, { backend })).info : await selectBackend(backend);
      return { app: APP, backend: info, cuda: cudaStatus(), system: systemInfo(), sweep: chooseSweepPath('auto', backend) };
    },
    settingsGet: () => ctx.settings.read(),
    settingsSet: (patch) => ctx.settings.patch(patch),
  };
}
