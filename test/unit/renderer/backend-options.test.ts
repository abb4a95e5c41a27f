import { describe, expect, it } from 'vitest';
import { backendOptions } from '../../../renderer/src/lib/state/backend-options';
import type { EngineInfo } from '../../../shared/api/engine';

describe('backendOptions', () => {
  it('marks and disables the backends the engine tried and could not start, and leaves the untried ones open', () => {
    const engine = {
      backend: {
        name: 'wasm',
        description: 'wasm',
        versions: {},
        attempts: [
          { backend: 'tensorflow-gpu', ok: false, reason: 'not installed' },
          { backend: 'wasm', ok: true, reason: '' },
        ],
      },
    } as Pick<EngineInfo, 'backend'> as EngineInfo;
    expect(backendOptions(['auto', 'tensorflow-gpu', 'wasm', 'cpu'], engine)).toEqual([
      { value: 'auto', label: 'auto (fastest available)', disabled: false },
      { value: 'tensorflow-gpu', label: 'tensorflow-gpu (not available)', disabled: true },
      { value: 'wasm', label: 'wasm', disabled: false },
      { value: 'cpu', label: 'cpu', disabled: false },
    ]);
  });

  it('offers every backend while the engine has not said what it tried', () => {
    expect(backendOptions(['auto', 'tensorflow'], null).map((o) => o.disabled)).toEqual([false, false]);
  });
});
