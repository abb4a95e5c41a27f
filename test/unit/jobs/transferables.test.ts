import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { transferablesOf } from '../../../main/engine/jobs/protocol';

describe('transferablesOf', () => {
  it('finds each whole-buffer typed array once, at any depth, and skips views, shared and empty buffers', () => {
    const a = new Float64Array(8);
    const b = new Int32Array(4);
    const big = new Float32Array(16);
    const view = big.subarray(4, 8);
    const shared = new Int32Array(new SharedArrayBuffer(16));
    const result = { sums: { group: a, again: a }, list: [b, { deep: [view] }], shared, empty: new Float64Array(0), n: 3, s: 'x' };
    const found = transferablesOf(result);
    expect(found).toHaveLength(2);
    expect(found).toContain(a.buffer);
    expect(found).toContain(b.buffer);
    expect(found).not.toContain(big.buffer);
  });

  it('survives cycles and returns nothing for plain values', () => {
    const cyclic: Record<string, unknown> = { x: new Uint8Array(2) };
    cyclic.self = cyclic;
    expect(transferablesOf(cyclic)).toHaveLength(1);
    expect(transferablesOf(undefined)).toEqual([]);
    expect(transferablesOf(42)).toEqual([]);
  });

  it('moves the buffers: the receiver gets the values, the sender is left with detached arrays', async () => {
    const { port1, port2 } = new MessageChannel();
    const sums = Float64Array.from([1.5, -2, 3e-300]);
    const got = new Promise<{ sums: Float64Array }>((resolve) => port2.once('message', resolve));
    const msg = { sums };
    port1.postMessage(msg, transferablesOf(msg));
    const received = await got;
    expect(Array.from(received.sums)).toEqual([1.5, -2, 3e-300]);
    expect(sums.length).toBe(0); // detached: nothing was copied
    port1.close();
    port2.close();
  });
});
