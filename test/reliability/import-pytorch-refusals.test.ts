// What a PyTorch import refuses (issue 9): truncated and oversized files, safetensors headers
// whose length or offsets lie, unknown and unsupported dtypes, NaN / Inf weights, shapes that do
// not fit, a pickle naming a forbidden global, a whole pickled module, a vocabulary of the wrong
// size, files of neither format. Each is a one-line user error naming the file (and the
// tensor, where one is at fault): in process (importPytorchModel, the function the job's worker
// runs), through the import-model job of the engine's API, which must leave the project byte
// for byte as it was, and through `mnemoscope model import` (exit code 1, project unchanged).
// The bad files are made here from the valid fixtures (test/fixtures/pytorch, make.py).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as cliMain } from '../../main/cli/index';
import type { Engine } from '../../main/engine/handlers/create-engine';
import { selectBackend } from '../../main/engine/model/backend';
import { importPytorchModel, readPytorchModel } from '../../main/engine/model/import-pytorch';
import { MAX_SAFETENSORS_HEADER_BYTES } from '../../main/engine/model/safetensors';
import type { MnemoscopeApi } from '../../shared/contract';
import { captureCliRun, type Ran } from '../unit/cli/in-process';
import { testEngine } from '../unit/contract/helpers';
import { FIX, VOCAB, f32, fixtureTensors, rawSafetensors, safetensorsOf, type RawTensor } from '../unit/model/pytorch-helpers';
import { literal, settlesWithin } from '../unit/project/fifo';
import { byteMutants, countInput, expectUnchanged, expectUserErrorOrOk, outcomeOfJob, printCounts, treeSnapshot, type Outcome } from './fuzz-helpers';

let engine: Engine;
let api: MnemoscopeApi;
let dir: string;
let project: string;
let bad: string;

interface BadCase {
  what: string;
  /** Writes the bad file into `bad` and returns its path. */
  make: () => Promise<string>;
  /** The message after '<file>: ' (the vocabulary case names the vocabulary first). */
  error: RegExp;
  vocab?: () => Promise<string>;
}

const put = async (name: string, bytes: Buffer | Uint8Array) => {
  const file = path.join(bad, name);
  await fs.writeFile(file, bytes);
  return file;
};
const fixture = (name: string) => fs.readFile(path.join(FIX, name));
type Named = [string, RawTensor];
const tensorsOf = async (name: string): Promise<Named[]> => (await fixtureTensors(name)).map(([k, t]) => [k, f32(t)]);
/** The fixture's tensors with `change` applied to the one named `key`. */
async function changed(name: string, key: string, change: (t: RawTensor) => RawTensor): Promise<Named[]> {
  return (await tensorsOf(name)).map(([k, t]) => [k, k === key ? change(t) : t]);
}
/** A header of the valid fixture with `edit` applied to it, over the fixture's data area. */
async function liedHeader(name: string, edit: (h: Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>) => void): Promise<Buffer> {
  const buf = await fixture(`${name}.safetensors`);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>;
  edit(header);
  return rawSafetensors(header, buf.subarray(8 + n));
}

const CASES: BadCase[] = [
  {
    what: 'a .pt cut in half',
    make: async () => {
      const b = await fixture('lstm-2layer-untied.pt');
      return put('half.pt', b.subarray(0, b.length >> 1));
    },
    error: /not a readable torch\.save file \(no zip end-of-central-directory record\); is it truncated/,
  },
  {
    what: 'a .pt without its last 30 bytes',
    make: async () => {
      const b = await fixture('lstm-2layer-untied.pt');
      return put('cut-end.pt', b.subarray(0, b.length - 30));
    },
    error: /(truncated|damaged)/,
  },
  {
    what: 'a .safetensors of 5 bytes',
    make: async () => put('tiny.safetensors', (await fixture('gru-1layer.safetensors')).subarray(0, 5)),
    error: /neither a torch\.save file \(a zip\) nor a safetensors file/,
  },
  {
    what: 'a .safetensors cut inside its header',
    make: async () => put('cut-header.safetensors', (await fixture('gru-1layer.safetensors')).subarray(0, 40)),
    error: /not a readable safetensors file \(its header length \d+ runs past the end of the 40-byte file; is it truncated/,
  },
  {
    what: 'a .safetensors without its last 10 bytes',
    make: async () => {
      const b = await fixture('gru-1layer.safetensors');
      return put('cut-data.safetensors', b.subarray(0, b.length - 10));
    },
    error: /tensor 'decoder\.bias': data_offsets \[\d+, \d+\] reach past the end of the data area \(\d+ bytes\); is the file truncated\?/,
  },
  {
    what: 'a file over the size limit (sparse, 1.5 GiB)',
    make: async () => {
      const file = path.join(bad, 'huge.safetensors');
      const h = await fs.open(file, 'w');
      await h.truncate(1.5 * 1024 * 1024 * 1024);
      await h.close();
      return file;
    },
    error: /too large for a PyTorch model file \(\.pt or \.safetensors\) \(1\.5 GiB; the limit is 1 GiB\)/,
  },
  {
    what: 'a safetensors header whose offsets reach past the data',
    make: async () => put('past.safetensors', await liedHeader('lstm-1layer-untied', (h) => (h['rnn.weight_hh_l0'].data_offsets[1] += 4000))),
    error: /tensor 'rnn\.weight_hh_l0': data_offsets \[\d+, \d+\] reach past the end of the data area/,
  },
  {
    what: 'a safetensors header whose offsets overlap',
    make: async () =>
      put(
        'overlap.safetensors',
        await liedHeader('lstm-1layer-untied', (h) => {
          const [a, b] = h['rnn.bias_ih_l0'].data_offsets;
          h['rnn.bias_hh_l0'].data_offsets = [a, b];
        }),
      ),
    error: /tensor 'rnn\.bias_(ih|hh)_l0': data_offsets \[\d+, \d+\] overlap those of 'rnn\.bias_(ih|hh)_l0'/,
  },
  {
    what: 'a safetensors header whose offsets do not fit the shape',
    make: async () => put('size.safetensors', await liedHeader('lstm-1layer-untied', (h) => (h['encoder.weight'].shape = [20, 4]))),
    error: /tensor 'encoder\.weight': data_offsets \[0, 400\] hold 400 bytes, but F32 of shape \[20, 4\] needs 320/,
  },
  {
    what: 'a safetensors data area with bytes no tensor owns',
    make: async () => {
      const b = await fixture('lstm-1layer-untied.safetensors');
      return put('trailing.safetensors', Buffer.concat([b, Buffer.alloc(12)]));
    },
    error: /12 bytes after the last tensor belong to no tensor/,
  },
  {
    what: 'a safetensors header that is not JSON',
    make: async () => {
      const b = Buffer.from(await fixture('lstm-1layer-untied.safetensors'));
      b[9] = 0x78; // {x"…: not JSON
      return put('not-json.safetensors', b);
    },
    error: /not a readable safetensors file \(the header is not valid JSON/,
  },
  {
    what: 'an unknown dtype',
    make: async () => put('dtype.safetensors', await liedHeader('lstm-1layer-untied', (h) => (h['decoder.bias'].dtype = 'Q4_K'))),
    error: /tensor 'decoder\.bias': unknown dtype 'Q4_K'/,
  },
  {
    what: 'a dtype known but not supported (float8)',
    make: async () => put('f8.safetensors', await liedHeader('lstm-1layer-untied', (h) => (h['decoder.bias'].dtype = 'F8_E4M3'))),
    error: /tensor 'decoder\.bias': dtype F8_E4M3 is not supported/,
  },
  {
    what: 'integer weights',
    make: async () => put('int.safetensors', await liedHeader('lstm-1layer-untied', (h) => (h['rnn.weight_hh_l0'].dtype = 'I32'))),
    error: /tensor 'rnn\.weight_hh_l0' \[24, 6\] is int32; the weights must be floating point/,
  },
  {
    what: 'a NaN weight',
    make: async () =>
      put(
        'nan.safetensors',
        safetensorsOf(
          await changed('lstm-1layer-untied', 'rnn.weight_hh_l0', (t) => {
            const b = Buffer.from(t.bytes);
            b.writeFloatLE(NaN, 4 * 7);
            return { ...t, bytes: b };
          }),
        ),
      ),
    error: /tensor 'rnn\.weight_hh_l0' \[24, 6\] holds NaN at index 7; the model cannot be used/,
  },
  {
    what: 'an infinite float16 weight',
    make: async () =>
      put(
        'inf.safetensors',
        await (async () => {
          const b = Buffer.from(await fixture('lstm-1layer-f16.safetensors'));
          const n = Number(b.readBigUInt64LE(0));
          const h = JSON.parse(b.subarray(8, 8 + n).toString('utf8')) as Record<string, { data_offsets: number[] }>;
          b.writeUInt16LE(0x7c00, 8 + n + h['encoder.weight'].data_offsets[0] + 2 * 3);
          return b;
        })(),
      ),
    error: /tensor 'encoder\.weight' \[20, 5\] holds Infinity at index 3/,
  },
  {
    what: 'a layer of the wrong input size',
    make: async () =>
      put('shape.safetensors', safetensorsOf(await changed('lstm-2layer-untied', 'rnn.weight_ih_l1', (t) => ({ ...t, shape: [24, 5], bytes: t.bytes.subarray(0, 24 * 5 * 4) })))),
    error: /tensor 'rnn\.weight_ih_l1' has shape \[24, 5\]; expected \[24, 6\] \(LSTM layer 1: \[4·H, H\]\)/,
  },
  {
    what: 'a recurrent weight whose rows are no gate count',
    make: async () =>
      put('gates.safetensors', safetensorsOf(await changed('gru-1layer', 'rnn.weight_hh_l0', (t) => ({ ...t, shape: [12, 6], bytes: t.bytes.subarray(0, 12 * 6 * 4) })))),
    error: /tensor 'rnn\.weight_hh_l0' has shape \[12, 6\]: 12 rows are not 4H \(LSTM\), 3H \(GRU\) or H \(RNN\) for H = 6/,
  },
  {
    what: 'a decoder of another vocabulary than the embedding',
    make: async () =>
      put(
        'decoder.safetensors',
        safetensorsOf(
          (await tensorsOf('rnn-tanh-1layer'))
            .map(([k, t]): Named => (k === 'decoder.weight' ? [k, { ...t, shape: [19, 6], bytes: t.bytes.subarray(0, 19 * 6 * 4) }] : [k, t]))
            .map(([k, t]): Named => (k === 'decoder.bias' ? [k, { ...t, shape: [19], bytes: t.bytes.subarray(0, 19 * 4) }] : [k, t])),
        ),
      ),
    error: /the embedding 'encoder\.weight' has 20 rows but the decoder 'decoder\.weight' has 19 outputs/,
  },
  {
    what: 'a bidirectional RNN',
    make: async () => {
      const t = await tensorsOf('rnn-tanh-1layer');
      return put('bidi.safetensors', safetensorsOf([...t, ['rnn.weight_ih_l0_reverse', t.find(([k]) => k === 'rnn.weight_ih_l0')![1]]]));
    },
    error: /'rnn\.weight_ih_l0_reverse': a bidirectional RNN/,
  },
  {
    what: 'a key that is no part of the model',
    make: async () => put('extra.safetensors', safetensorsOf([...(await tensorsOf('rnn-tanh-1layer')), ['norm.weight', { dtype: 'F32', shape: [6], bytes: Buffer.alloc(24) }]])),
    error: /keys not recognised as parts of an Embedding → RNN → Linear language model: norm\.weight \[6\]; .*--keys emb=NAME,rnn=PREFIX,out=NAME/,
  },
  {
    what: 'a pickle naming os.system',
    make: async () => put('forbidden-global.pt', await fixture('forbidden-global.pt')),
    error: /refused: the pickle in it names the global '(os|posix)\.system'.*never runs code from a file/,
  },
  {
    what: 'a whole pickled module (torch.save(model))',
    make: async () => put('whole-module.pt', await fixture('whole-module.pt')),
    error: /holds a whole pickled model \(it names __main__\.RNNModel\), not a state_dict; save the weights with torch\.save\(model\.state_dict\(\), path\)/,
  },
  {
    what: 'a legacy (pre-1.6) torch.save pickle',
    make: async () => put('legacy.pt', Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e])),
    error: /a torch\.save file in the legacy format/,
  },
  {
    what: 'a file of neither format',
    make: async () => put('text.pt', Buffer.from('hello, this is not a model at all\n')),
    error: /neither a torch\.save file \(a zip\) nor a safetensors file/,
  },
  {
    what: 'an empty file',
    make: async () => put('empty.safetensors', Buffer.alloc(0)),
    error: /the file is empty/,
  },
  {
    what: 'a vocabulary of the wrong size',
    make: async () => put('good.pt', await fixture('lstm-1layer-untied.pt')),
    vocab: async () => put('small-vocab.txt', Buffer.from('<unk>\na\nb\n')),
    error: /lists 3 words, but the embedding of .*good\.pt has 20 rows and its decoder 20 outputs/,
  },
];

const files = new Map<string, { file: string; vocab: string }>();

beforeAll(async () => {
  await selectBackend('cpu');
  ({ engine, dir } = await testEngine());
  api = engine.api;
  project = (await api.projectCreate({ dir: path.join(dir, 'study'), name: 'Refusals' })).dir;
  bad = path.join(dir, 'bad');
  await fs.mkdir(bad);
  for (const c of CASES) files.set(c.what, { file: await c.make(), vocab: c.vocab ? await c.vocab() : VOCAB });
  // The first import makes the project's staging folder (.staging/, left empty): make it before the snapshots.
  const { jobId } = await api.jobStart({ kind: 'import-model', params: { project, id: 'first', pytorch: path.join(FIX, 'gru-1layer.pt'), vocab: VOCAB, backend: 'cpu' } });
  expect(outcomeOfJob(await settlesWithin(engine.jobs.whenEnded(jobId)!, 60_000, 'first import')).ok).toBe(true);
  await api.modelDelete({ project, id: 'first' });
});

afterAll(async () => {
  printCounts('pytorch');
  await engine?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** The message must name the file and match the case, on one line. */
function expectRefusal(message: string, c: BadCase, file: string): void {
  expect(message, c.what).toContain(file);
  expect(message, c.what).toMatch(c.error);
  expect(message, `${c.what}: one line`).not.toMatch(/\n/);
}

describe('refused in process (importPytorchModel), one line naming the file', () => {
  for (const c of CASES) {
    it(c.what, async () => {
      const { file, vocab } = files.get(c.what)!;
      const outDir = path.join(dir, 'out', path.basename(file));
      const err = await importPytorchModel({ pytorch: file, vocab, outDir }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err, `${c.what}: accepted`).not.toBeNull();
      expect(err!.name, `${c.what}: ${err!.message}`).toBe('UserError');
      expectRefusal(err!.message, c, file);
      if (!c.vocab) expect(err!.message.startsWith(`${file}: `), err!.message).toBe(true);
    });
  }

  it('a safetensors header length over the limit (100 MB) is refused before the header is parsed', async () => {
    const file = path.join(bad, 'long-header.safetensors');
    const h = await fs.open(file, 'w');
    const head = Buffer.alloc(9);
    head.writeBigUInt64LE(BigInt(MAX_SAFETENSORS_HEADER_BYTES + 8));
    head[8] = 0x7b;
    await h.write(head, 0, 9, 0);
    await h.truncate(MAX_SAFETENSORS_HEADER_BYTES + 64);
    await h.close();
    await expect(readPytorchModel(file)).rejects.toThrow(new RegExp(`^${literal(file)}: not a readable safetensors file \\(its header length \\d+ is over the limit of 100000000 bytes\\)$`));
    await fs.rm(file);
  });
});

describe('fuzzing the readers: a model or a one-line user error naming the file, never an internal error', () => {
  for (const [name, seed] of [
    ['lstm-2layer-tied.pt', 4101],
    ['gru-2layer.safetensors', 4102],
    ['lstm-1layer-f16.safetensors', 4103],
  ] as const) {
    it(name, async () => {
      const valid = await fixture(name);
      let k = 0;
      await fc.assert(
        fc.asyncProperty(byteMutants(valid), async (m) => {
          countInput(`readPytorchModel (${name})`);
          const file = await put(`fuzz-${k++}${path.extname(name)}`, m.bytes);
          let r: Outcome;
          try {
            r = { ok: true, value: await readPytorchModel(file) };
          } catch (err) {
            const e = err as Error;
            r = { ok: false, kind: e.name === 'UserError' ? 'user' : 'internal', message: e.name === 'UserError' ? e.message : `${e.name}: ${e.message}` };
          }
          expectUserErrorOrOk(r, [file], `${name} (${m.how})`);
          await fs.rm(file);
        }),
        { seed, numRuns: 300 },
      );
    });
  }
});

describe('refused by the import-model job, the project left byte-identical', () => {
  CASES.forEach((c, i) => {
    it(c.what, async () => {
      const { file, vocab } = files.get(c.what)!;
      const before = await treeSnapshot(project);
      const { jobId } = await api.jobStart({ kind: 'import-model', params: { project, id: `refused-${i}`, pytorch: file, vocab, backend: 'cpu' } });
      const r = outcomeOfJob(await settlesWithin(engine.jobs.whenEnded(jobId)!, 60_000, c.what));
      expect(r.ok, c.what).toBe(false);
      if (r.ok) return;
      expect(r.kind, `${c.what}: ${r.message}`).toBe('user');
      expectRefusal(r.message, c, file);
      await expectUnchanged(project, before, c.what);
    });
  });

  it('the job passes keys and nonlinearity on: a ReLU RNN imports as one', async () => {
    const { jobId } = await api.jobStart({
      kind: 'import-model',
      params: { project, id: 'relu', pytorch: path.join(FIX, 'rnn-relu-1layer.safetensors'), vocab: VOCAB, nonlinearity: 'relu', keys: { rnn: 'rnn' }, backend: 'cpu' },
    });
    const r = outcomeOfJob(await settlesWithin(engine.jobs.whenEnded(jobId)!, 60_000, 'relu import'));
    expect(r.ok, r.ok ? '' : r.message).toBe(true);
    expect((await api.modelShow({ project, id: 'relu' })).summary.architecture.layers[0].cell).toBe('rnn-relu');
    await api.modelDelete({ project, id: 'relu' });
  });
});

describe('mnemoscope model import', () => {
  /** Runs the CLI in this process, as main/cli/mnemoscope.mjs does, capturing its output. */
  const mnemoscope = (...args: string[]): Promise<Ran> => captureCliRun(() => cliMain(['node', 'mnemoscope', ...args]));

  const refusedByCli = ['a .safetensors cut inside its header', 'a safetensors header whose offsets overlap', 'a NaN weight', 'a pickle naming os.system', 'a whole pickled module (torch.save(model))'];
  for (const what of refusedByCli) {
    it(`exit 1, one line, the project unchanged: ${what}`, async () => {
      const c = CASES.find((x) => x.what === what)!;
      const { file, vocab } = files.get(what)!;
      const before = await treeSnapshot(project);
      const r = await mnemoscope('model', 'import', '--project', project, '--pytorch', file, '--vocab', vocab, '--id', 'cli');
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^mnemoscope: ${literal(file)}: `));
      expect(r.stderr).toMatch(c.error);
      await expectUnchanged(project, before, what);
    });
  }

  it('--keys and --nonlinearity: parsed, passed on, and malformed text refused', async () => {
    const before = await treeSnapshot(project);
    for (const [keys, msg] of [
      ['emb', /--keys takes emb=NAME,rnn=PREFIX,out=NAME .*got 'emb'/],
      ['emb=a,emb=b', /--keys: emb= is given twice/],
      ['out=', /--keys: out= needs a key name/],
      ['size=3', /got 'size=3'/],
    ] as const) {
      const r = await mnemoscope('model', 'import', '--project', project, '--pytorch', path.join(FIX, 'gru-1layer.pt'), '--vocab', VOCAB, '--id', 'k', '--keys', keys);
      expect(r.code, keys).toBe(1);
      expect(r.stderr, keys).toMatch(msg);
    }
    const relu = await mnemoscope('model', 'import', '--project', project, '--pytorch', path.join(FIX, 'gru-1layer.pt'), '--vocab', VOCAB, '--id', 'k', '--nonlinearity', 'sigmoid');
    expect(relu.code).toBe(1);
    expect(relu.stderr).toMatch(/Allowed choices are tanh, relu/);
    await expectUnchanged(project, before, 'malformed options');

    const ok = await mnemoscope(
      'model', 'import', '--project', project, '--pytorch', path.join(FIX, 'rnn-relu-1layer.pt'), '--vocab', VOCAB, '--id', 'cli-relu',
      '--keys', 'emb=encoder.weight,rnn=rnn,out=decoder', '--nonlinearity', 'relu', '--json',
    );
    expect(ok.code, ok.stderr + ok.stdout).toBe(0);
    const json = JSON.parse(ok.stdout) as { model: { architecture: { layers: { cell: string }[] }; notes: string[] } };
    expect(json.model.architecture.layers.map((l) => l.cell)).toEqual(['rnn-relu']);
    expect(json.model.notes).toContain('a vanilla RNN with the relu nonlinearity (as given)');
    await api.modelDelete({ project, id: 'cli-relu' });
  });
});
