// engineInfo and the settings procedures.
import { APP } from '../app-version';
import type { EngineContext, HandlerGroup } from './types';

export function engineHandlers(ctx: EngineContext): HandlerGroup<'engineInfo' | 'settingsGet' | 'settingsSet'> {
  return {
    engineInfo: async () => {
      // Loaded on first use: TensorFlow.js takes a while to load and most calls never need it.
      const { selectBackend } = await import('../model/backend');
      return { app: APP, backend: await selectBackend() };
    },
    settingsGet: () => ctx.settings.read(),
    settingsSet: (patch) => ctx.settings.patch(patch),
  };
}
