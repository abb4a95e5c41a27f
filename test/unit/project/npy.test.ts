import { promises as fs } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeNpy,
  encodeNpy,
  npyHeader,
  readNpy,
  shapeRepr,
  writeNpy,
  type NpyData,
} from '../../../main/engine/project/npy';
import { UserError } from '../../../main/engine/errors';
import { tempDir } from './helpers/temp-dirs';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

describe('npy header', () => {
  it('matches a hand-built float32 [2, 3] file byte for byte', () => {
    // From the format spec: magic, version 1.0, uint16 LE header length, then the dict,
    // spaces, and '\n', so that 6 + 2 + 2 + HEADER_LEN is a multiple of 64.
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    expect(dict.length).toBe(59);
    // 10 + 59 + 1 = 70 bytes unpadded, so the data starts at 128: HEADER_LEN = 118 = 59 + 58 spaces + '\n'.
    const hl = 118;
    const expected = [
      0x93, ...ascii('NUMPY'), 1, 0, hl & 0xff, hl >> 8,
      ...ascii(dict), ...ascii(' '.repeat(hl - dict.length - 1)), 0x0a,
    ];
    const values = [1, -2.5, 0, 3.25, 1e-3, 65504];
    const le = new Uint8Array(new Float32Array(values).buffer);
    const bytes = encodeNpy(new Float32Array(values), [2, 3]);
    expect(Array.from(bytes.subarray(0, 128))).toEqual(expected);
    expect(Array.from(bytes.subarray(128))).toEqual(Array.from(le));
    expect(bytes.length).toBe(128 + 24);
  });

  it('writes Python tuple reprs and aligns every header to 64 bytes', () => {
    expect(shapeRepr([])).toBe('()');
    expect(shapeRepr([5])).toBe('(5,)');
    expect(shapeRepr([2, 3, 4])).toBe('(2, 3, 4)');
    for (const shape of [[], [0], [7], [123456789, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]]) {
      const h = npyHeader('<i4', shape);
      expect(h.length % 64).toBe(0);
      expect(h[h.length - 1]).toBe(0x0a);
      expect(h[8] | (h[9] << 8)).toBe(h.length - 10);
    }
  });
});

describe('npy round trips', () => {
  const dims = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 });
  const count = (s: number[]) => s.reduce((a, b) => a * b, 1);

  it('float32, float64 and int32 of any small shape survive encode → decode', () => {
    fc.assert(
      fc.property(dims, fc.constantFrom('f4', 'f8', 'i4'), fc.integer(), (shape, kind, seed) => {
        const n = count(shape);
        const vals = Array.from({ length: n }, (_, k) => Math.sin(seed + k) * 1e3);
        const data: NpyData =
          kind === 'f4' ? new Float32Array(vals) : kind === 'f8' ? new Float64Array(vals) : Int32Array.from(vals, Math.round);
        const back = decodeNpy(encodeNpy(data, shape), 'mem.npy');
        expect(back.shape).toEqual(shape);
        expect(back.dtype).toBe(`<${kind}`);
        expect(back.data.constructor).toBe(data.constructor);
        expect(Array.from(back.data)).toEqual(Array.from(data));
      }),
      { numRuns: 150 },
    );
  });

  it('writes to disk atomically and reads back, including a subarray view and special values', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'G.npy');
    const big = new Float32Array(10).map((_, k) => k);
    const view = big.subarray(3, 9); // non-zero byteOffset
    await writeNpy(f, view, [3, 2]);
    const a = await readNpy(f);
    expect(a.shape).toEqual([3, 2]);
    expect(Array.from(a.data)).toEqual([3, 4, 5, 6, 7, 8]);
    await writeNpy(f, new Float64Array([NaN, Infinity, -0, 5e-324]), [4]);
    const b = await readNpy(f);
    expect(Object.is(b.data[2], -0)).toBe(true);
    expect(Array.from(b.data)).toEqual([NaN, Infinity, -0, 5e-324]);
    expect((await fs.readdir(dir)).sort()).toEqual(['G.npy']);
  });

  it('refuses data that does not match the shape', async () => {
    expect(() => encodeNpy(new Int32Array(5), [2, 3])).toThrow(/6 elements but the data has 5/);
    expect(() => encodeNpy(new Int32Array(0), [-1])).toThrow(/invalid dimension/);
  });
});

describe('npy reader errors name the file', () => {
  const good = () => encodeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
  const withHeader = (dict: string, data = new Uint8Array(24)) => {
    const pad = (64 - ((10 + dict.length + 1) % 64)) % 64;
    const text = dict + ' '.repeat(pad) + '\n';
    const out = new Uint8Array(10 + text.length + data.length);
    out.set([0x93, ...ascii('NUMPY'), 1, 0, text.length & 0xff, text.length >> 8]);
    out.set(ascii(text), 10);
    out.set(data, 10 + text.length);
    return out;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ['bad magic', new TextEncoder().encode('hello world, not numpy'), /x\.npy: invalid \.npy file: .*magic/],
    ['version', (() => { const b = good(); b[6] = 9; return b; })(), /unsupported format version 9\.0/],
    ['truncated', good().subarray(0, 140), /needs 24 data bytes but the file has 12 \(truncated\?\)/],
    ['too long', new Uint8Array([...good(), 0, 0, 0, 0]), /needs 24 data bytes but the file has 28/],
    ['dtype', withHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }"), /dtype '<i8' is not supported/],
    ['big-endian', withHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (6,), }"), /dtype '>f4' is not supported/],
    ['fortran', withHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }"), /Fortran order/],
    ['no shape', withHeader("{'descr': '<f4', 'fortran_order': False, }"), /no 'shape'/],
    ['structured', withHeader("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,), }"), /structured/],
    ['header overrun', good().subarray(0, 50), /runs past the end/],
  ];
  it.each(cases)('%s', (_label, bytes, pattern) => {
    let err: unknown;
    try {
      decodeNpy(bytes, 'x.npy');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/^x\.npy: /);
    expect((err as Error).message).toMatch(pattern);
  });

  it('reads headers numpy writes with other key order, double spaces and growth padding', () => {
    const dict = "{'shape': (6,),  'fortran_order': False, 'descr': '<f4', }" + ' '.repeat(20);
    const a = decodeNpy(withHeader(dict), 'x.npy');
    expect(a.shape).toEqual([6]);
  });

  it('a missing file is a UserError naming it', async () => {
    await expect(readNpy('/nonexistent/dir/t.npy')).rejects.toThrow(/\/nonexistent\/dir\/t\.npy: \.npy file not found/);
  });
});

// The first Python with numpy: the one on PATH, or Debian's (CI installs python3-numpy).
const python = ['python3', '/usr/bin/python3'].find(
  (py) => spawnSync(py, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0,
);
const hasNumpy = python !== undefined;
if (!hasNumpy) console.log('npy: skipping the numpy interoperability test: python3 with numpy is not installed');

describe.skipIf(!hasNumpy)('numpy interoperability', () => {
  it('numpy loads what we write, and we read what numpy writes', async () => {
    const dir = await tempDir();
    const ours = path.join(dir, 'ours.npy');
    await writeNpy(ours, new Float32Array([0.5, -1, 2, 3.75, 4, 1e-7]), [2, 3]);
    await writeNpy(path.join(dir, 'tok.npy'), new Int32Array([1, -2, 2147483647]), [3]);
    await writeNpy(path.join(dir, 'd.npy'), new Float64Array([Math.PI]), []);
    const script = `
import numpy as np, sys, json
d = sys.argv[1]
a = np.load(d + '/ours.npy'); t = np.load(d + '/tok.npy'); s = np.load(d + '/d.npy')
print(json.dumps([str(a.dtype), list(a.shape), a.ravel().tolist(), str(t.dtype), t.tolist(), str(s.dtype), list(s.shape), float(s)]))
np.save(d + '/theirs.npy', np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 8)
np.save(d + '/theirs32.npy', np.array([[7, 8], [9, 10]], dtype='<i4'))
`;
    const out = JSON.parse(execFileSync(python as string, ['-c', script, dir], { encoding: 'utf8' }));
    expect(out).toEqual([
      'float32', [2, 3], Array.from(new Float32Array([0.5, -1, 2, 3.75, 4, 1e-7])),
      'int32', [1, -2, 2147483647],
      'float64', [], Math.PI,
    ]);
    const theirs = await readNpy(path.join(dir, 'theirs.npy'));
    expect(theirs.dtype).toBe('<f8');
    expect(theirs.shape).toEqual([2, 3, 4]);
    expect(Array.from(theirs.data)).toEqual(Array.from({ length: 24 }, (_, k) => k / 8));
    const t32 = await readNpy(path.join(dir, 'theirs32.npy'));
    expect(t32).toEqual({ dtype: '<i4', shape: [2, 2], data: new Int32Array([7, 8, 9, 10]) });
  });
});
