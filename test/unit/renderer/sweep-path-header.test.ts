// The run page's "Sweep path" fact: which path ran and why, with the tensor path's device memory and chunk.
import { describe, expect, it } from 'vitest';
import { sweepPathText } from '../../../renderer/src/lib/transforms/run-header';
import type { RunRecord } from '../../../shared/schemas/run';

const base: RunRecord['software'] = { app: '0.1.0', node: '22', versions: {}, backend: 'cpu', engine: 'e', kernels: 'k', workers: 1, platform: 'linux-x64', cpus: 2 };

describe('sweepPathText', () => {
  it('names the path and the reason; the tensor path adds its device memory and chunk', () => {
    expect(sweepPathText({ ...base, path: 'kernels', pathReason: 'engine auto: no GPU' })).toBe('kernels (engine auto: no GPU)');
    expect(
      sweepPathText({ ...base, path: 'tensor', pathReason: 'tensor path asked for', deviceMemoryMB: 8000, deviceMemorySource: 'nvidia-smi', chunkStreams: 12 }),
    ).toBe('tensor (tensor path asked for; 8000 MiB device memory (nvidia-smi), 12 streams at once)');
  });
});
