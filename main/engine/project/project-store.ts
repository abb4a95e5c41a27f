// The on-disk project (DESIGN.md §2): a folder with project.json listing the ids of its
// corpora, models and runs, each item in its own folder with its own metadata file.
// Every change is made so that a crash or an error at any point leaves a project that
// opens: items are written in .staging/ and renamed into place, removals go through
// .trash/, project.json is replaced atomically, and one writer at a time holds project.lock.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { UserError, isUserError } from '../errors';
import type { CancelToken } from '../cancel-token';
import {
  ITEM_FOLDERS,
  ITEM_ID_PATTERN,
  ItemKindSchema,
  ManifestEntrySchema,
  ProjectNameSchema,
  RunLinksSchema,
  type ItemKind,
  type ManifestEntry,
  type ProjectManifest,
  type RunListing,
  PROJECT_APP,
  PROJECT_SCHEMA_VERSION,
} from '../../../shared/schemas/project';
import { isAtomicTempName, syncDir, writeJsonAtomic } from './atomic-write';
import { readManifestFile, writeManifestFile } from './manifest';
import { describeSchemaError, parseJsonText, readJsonFile, readTextFile } from './read-json';
import { PARTIAL_RUN_VERSION, PartialRunRecordSchema, RUN_SCHEMA_VERSION, RunRecordSchema } from '../../../shared/schemas/run';
import { ABLATION_SCHEMA_VERSION, AblationRecordSchema, type RunKind } from '../../../shared/schemas/ablation';
import { withLockFile } from './write-lock';
import { makeFolders } from './make-folders';
import { pidAlive, removeDeadPending } from './project-lock';
import {
  ITEM_META_FILE,
  KIND_LABEL,
  LOCK_FILE,
  MANIFEST_FILE,
  STAGING_DIR,
  TRASH_DIR,
  isThisHost,
  itemDir,
  parseStagingName,
  parseTrashName,
  stagingName,
  trashName,
} from './layout';

export interface ProjectOptions {
  /** How long a write waits for another process's lock before failing with a UserError (ms). */
  lockWaitMs?: number;
  /** Open without tidying crash leftovers (e.g. a project on read-only media). */
  readOnly?: boolean;
}

export interface StageOptions {
  /** Display name in the manifest; defaults to the id. */
  name?: string;
  /** Checked after the writer returns: a cancelled stage is discarded like a failed one. */
  cancel?: CancelToken;
}

export interface StagedItem<T> {
  entry: ManifestEntry;
  /** The item's final folder. */
  dir: string;
  /** What the writer returned. */
  meta: T;
}

export interface CleanupReport {
  removedStaging: number;
  removedTrash: number;
  /** Items whose folder was put back from .trash/ after a crash in the middle of a replace or delete. */
  restored: string[];
  /** Items whose commit was interrupted after their folder was in place; now listed in the manifest. */
  completed: string[];
}

const DEFAULT_LOCK_WAIT_MS = 5000;
const ITEM_FOLDER_NAMES = new Set<string>(Object.values(ITEM_FOLDERS));
/** Files an OS may drop into any folder; they do not make a folder "not empty". */
const OS_JUNK = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini', LOCK_FILE]);

const now = () => new Date().toISOString();
const rmrf = (p: string) => fs.rm(p, { recursive: true, force: true, maxRetries: 3 });
const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch (err) {
    if (errno(err) === 'ENOENT') return false;
    throw err;
  }
}

/** Journal written just before a staged folder is renamed into place, removed once the manifest lists it. */
const CommitJournalSchema = ManifestEntrySchema.extend({ kind: ItemKindSchema });
const JOURNAL_SUFFIX = '.commit.json';

export class ProjectStore {
  private current: ProjectManifest;

  private constructor(
    /** Absolute path of the project folder. */
    readonly dir: string,
    /** The folder with symlinks resolved: two paths to one project must share one lock. */
    private readonly realDir: string,
    manifest: ProjectManifest,
    private readonly options: Required<ProjectOptions>,
  ) {
    this.current = manifest;
  }

  /** @internal use createProject / openProject */
  static async attach(dir: string, manifest: ProjectManifest, options: ProjectOptions = {}): Promise<ProjectStore> {
    return new ProjectStore(dir, await fs.realpath(dir), manifest, {
      lockWaitMs: options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
      readOnly: options.readOnly ?? false,
    });
  }

  get manifestFile(): string {
    return path.join(this.dir, MANIFEST_FILE);
  }

  get lockFile(): string {
    return path.join(this.dir, LOCK_FILE);
  }

  /** The manifest as last read or written by this store (call readManifest() for the state on disk). */
  get manifest(): ProjectManifest {
    return this.current;
  }

  get name(): string {
    return this.current.name;
  }

  // ---- reads (no lock: every file is replaced atomically) ----

  async readManifest(): Promise<ProjectManifest> {
    const { manifest } = await readManifestFile(this.manifestFile);
    this.current = manifest;
    return manifest;
  }

  async list(kind: ItemKind): Promise<ManifestEntry[]> {
    return (await this.readManifest())[ITEM_FOLDERS[kind]];
  }

  async has(kind: ItemKind, id: string): Promise<boolean> {
    return (await this.list(kind)).some((e) => e.id === id);
  }

  /** The manifest entry of an item, or a UserError listing what the project does have. */
  async requireItem(kind: ItemKind, id: string): Promise<ManifestEntry> {
    const entries = await this.list(kind);
    const entry = entries.find((e) => e.id === id);
    if (entry) return entry;
    const have = entries.length ? `it has: ${entries.map((e) => e.id).join(', ')}` : `it has no ${ITEM_FOLDERS[kind]}`;
    throw new UserError(`No ${KIND_LABEL[kind]} '${id}' in project ${this.dir} (${have}).`);
  }

  /** Folder of an item (whether or not it exists). Refuses ids that are not valid folder names. */
  itemDir(kind: ItemKind, id: string): string {
    checkId(kind, id);
    return itemDir(this.dir, kind, id);
  }

  /** Path of a file inside an item's folder; `file` defaults to the item's metadata file. */
  itemFile(kind: ItemKind, id: string, file: string = ITEM_META_FILE[kind]): string {
    return path.join(this.itemDir(kind, id), file);
  }

  /** Read and validate a JSON file of an item; errors name the file and the problem. */
  async readItemJson<S extends z.ZodType>(kind: ItemKind, id: string, file: string, schema: S): Promise<z.output<S>> {
    return readJsonFile(this.itemFile(kind, id, file), schema, file);
  }

  /**
   * Why a listed item's folder cannot be used, or null when it is there: a folder deleted or
   * moved by hand behind the project's back, or something else in its place. Listings
   * (runs here, corpora and models in the engine's handlers) report it as the item's problem.
   */
  async folderProblem(kind: ItemKind, id: string): Promise<string | null> {
    const dir = this.itemDir(kind, id);
    try {
      return (await fs.stat(dir)).isDirectory() ? null : `${dir} is not a folder (the ${KIND_LABEL[kind]}'s files are gone)`;
    } catch (err) {
      if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return `its folder ${dir} is missing (deleted or moved outside Mnemoscope)`;
      throw err;
    }
  }

  /**
   * All runs with the inputs their run.json names (`model`, `corpus`: ids) and which of
   * them are no longer in the project. A run whose folder is missing or whose run.json is
   * unreadable is still listed, with `problem` saying what is wrong.
   */
  async listRuns(): Promise<RunListing[]> {
    const m = await this.readManifest();
    const models = new Set(m.models.map((e) => e.id));
    const corpora = new Set(m.corpora.map((e) => e.id));
    return Promise.all(
      m.runs.map(async (entry): Promise<RunListing> => {
        const file = this.itemFile('run', entry.id);
        let links: { model?: string; corpus?: string } = {};
        let problem = (await this.folderProblem('run', entry.id)) ?? undefined;
        let shard: RunListing['shard'];
        let kind: RunListing['kind'] = 'sweep';
        if (problem === undefined) {
          try {
            const value = parseJsonText(file, await readTextFile(file, 'run.json'));
            const parsed = RunLinksSchema.safeParse(value);
            if (parsed.success) links = parsed.data;
            else problem = `${file}: run.json is not a JSON object`;
            problem ??= runRecordProblem(file, value);
            if (problem === undefined && isPartialRunJson(value)) shard = (value as { partial: { shard: RunListing['shard'] } }).partial.shard;
            kind = runKindOf(value);
          } catch (err) {
            if (!isUserError(err)) throw err;
            problem = (err as Error).message;
          }
        }
        const missing: RunListing['missing'] = {};
        if (links.model !== undefined && !models.has(links.model)) missing.model = true;
        if (links.corpus !== undefined && !corpora.has(links.corpus)) missing.corpus = true;
        return {
          ...entry,
          missing,
          ...(links.model !== undefined && { model: links.model }),
          ...(links.corpus !== undefined && { corpus: links.corpus }),
          ...(problem !== undefined && { problem }),
          ...(shard !== undefined && { shard }),
          kind,
        };
      }),
    );
  }

  // ---- writes ----

  /** Run `fn` as the only writer of this project (threads and processes included). Re-entrant. */
  async withWriteLock<T>(fn: () => Promise<T>): Promise<T> {
    if (this.options.readOnly) throw new UserError(`Project ${this.dir} was opened read-only.`);
    return withLockFile(path.join(this.realDir, LOCK_FILE), { waitMs: this.options.lockWaitMs, projectDir: this.dir }, fn);
  }

  /** Re-read the manifest under the lock, change it, and write it back with a new modified time. */
  async updateManifest(change: (m: ProjectManifest) => ProjectManifest): Promise<ProjectManifest> {
    return this.withWriteLock(async () => {
      const next = { ...change(await this.readManifest()), modified: now() };
      await writeManifestFile(this.manifestFile, next);
      this.current = next;
      return next;
    });
  }

  async rename(name: string): Promise<void> {
    const checked = checkName(name);
    await this.updateManifest((m) => ({ ...m, name: checked }));
  }

  /**
   * Create an item all at once: `write` fills a private staging folder; only when it
   * returns is the folder renamed to corpora|models|runs/<id> and the id added to the
   * manifest. If `write` throws (or `cancel` is cancelled) the staging folder is removed and
   * the project is unchanged. `write` runs without the lock, so long imports and
   * training do not block other writers; the commit takes the lock briefly.
   */
  async stageItem<T>(
    kind: ItemKind,
    id: string,
    write: (stagingDir: string) => Promise<T>,
    opts: StageOptions = {},
  ): Promise<StagedItem<T>> {
    checkId(kind, id);
    this.assertAbsent(kind, id, await this.readManifest());
    opts.cancel?.throwIfCancelled();
    const staging = await this.makeStagingDir();
    try {
      const meta = await write(staging);
      opts.cancel?.throwIfCancelled();
      const target = itemDir(this.dir, kind, id);
      const entry = await this.withWriteLock(async () => {
        const m = await this.readManifest();
        this.assertAbsent(kind, id, m);
        if (await exists(target)) {
          throw new UserError(
            `Cannot add ${KIND_LABEL[kind]} '${id}': the folder ${target} exists but is not listed in ` +
              `${this.manifestFile} (copied in by hand?). Move it away or choose another id.`,
          );
        }
        const added: ManifestEntry = { id, name: opts.name ?? id, created: now() };
        const journal = `${staging}${JOURNAL_SUFFIX}`;
        await writeJsonAtomic(journal, { ...added, kind });
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.rename(staging, target);
        try {
          const folder = ITEM_FOLDERS[kind];
          const next: ProjectManifest = { ...m, [folder]: [...m[folder], added], modified: now() };
          await writeManifestFile(this.manifestFile, next);
          this.current = next;
        } catch (err) {
          // Take the folder back out; if even that fails, the journal lets the next open finish the commit.
          const undone = await fs.rename(target, staging).then(
            () => true,
            () => false,
          );
          if (undone) await fs.rm(journal, { force: true });
          throw err;
        }
        await fs.rm(journal, { force: true });
        await syncDir(path.dirname(target));
        return added;
      });
      return { entry, dir: target, meta };
    } finally {
      await rmrf(staging); // gone already after a successful rename
    }
  }

  /**
   * Replace an existing item's folder (e.g. a better model checkpoint) in one step:
   * `write(stagingDir, currentDir)` builds the new folder, then two renames swap it in
   * and the old folder is removed. A crash between the renames is undone on next open.
   */
  async replaceItem<T>(
    kind: ItemKind,
    id: string,
    write: (stagingDir: string, currentDir: string) => Promise<T>,
    opts: Pick<StageOptions, 'cancel'> = {},
  ): Promise<T> {
    checkId(kind, id);
    await this.requireItem(kind, id);
    const target = itemDir(this.dir, kind, id);
    const staging = await this.makeStagingDir();
    try {
      const meta = await write(staging, target);
      opts.cancel?.throwIfCancelled();
      await this.withWriteLock(async () => {
        await this.requireItem(kind, id); // not deleted meanwhile
        const trash = await this.trashPath(kind, id);
        const hadOld = await renameIfExists(target, trash);
        try {
          await fs.rename(staging, target);
        } catch (err) {
          if (hadOld) await fs.rename(trash, target);
          throw err;
        }
        await syncDir(path.dirname(target));
        await this.updateManifest((m) => m);
        await rmrf(trash);
      });
      return meta;
    } finally {
      await rmrf(staging);
    }
  }

  /**
   * Remove an item: its folder goes to .trash/ and then away, and its id leaves the
   * manifest. Nothing else is touched: runs that used a deleted model stay readable
   * (listRuns marks the missing input).
   */
  async deleteItem(kind: ItemKind, id: string): Promise<void> {
    checkId(kind, id);
    await this.withWriteLock(async () => {
      await this.requireItem(kind, id);
      const target = itemDir(this.dir, kind, id);
      const trash = await this.trashPath(kind, id);
      // Folder first, manifest second: a crash in between is rolled back on open (the
      // manifest still lists the id, so the folder is put back), never half-deleted.
      const moved = await renameIfExists(target, trash);
      try {
        const folder = ITEM_FOLDERS[kind];
        await this.updateManifest((m) => ({ ...m, [folder]: m[folder].filter((e) => e.id !== id) }));
      } catch (err) {
        if (moved) await fs.rename(trash, target).catch(() => {});
        throw err;
      }
      await rmrf(trash);
    });
  }

  /**
   * Tidy what a crashed writer left: staging folders of dead processes, .trash/ entries
   * (put back when the manifest still lists the item and its folder is missing),
   * interrupted commits, and temporary manifest files. Runs on open; skipped quietly when
   * another writer holds the lock or the folder is read-only.
   */
  async cleanup(): Promise<CleanupReport> {
    const report: CleanupReport = { removedStaging: 0, removedTrash: 0, restored: [], completed: [] };
    const store = await ProjectStore.attach(this.dir, this.current, { lockWaitMs: 0 });
    try {
      await store.withWriteLock(() => store.tidy(report));
    } catch (err) {
      const code = errno(err);
      if (isUserError(err) || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return report;
      throw err;
    }
    this.current = store.current;
    return report;
  }

  private async tidy(report: CleanupReport): Promise<void> {
    await removeDeadPending(path.join(this.realDir, LOCK_FILE));
    const m = await this.readManifest();
    const listed = (kind: ItemKind, id: string) => m[ITEM_FOLDERS[kind]].some((e) => e.id === id);
    let changed = false;

    const stagingRoot = path.join(this.dir, STAGING_DIR);
    for (const name of await readdirIfExists(stagingRoot)) {
      const full = path.join(stagingRoot, name);
      if (name.endsWith(JOURNAL_SUFFIX)) {
        // We hold the lock, so no commit is in progress: this one was interrupted.
        const journal = await readJsonFile(full, CommitJournalSchema).catch(() => undefined);
        const kind = journal?.kind;
        if (journal && kind && !listed(kind, journal.id)) {
          if (await exists(itemDir(this.dir, kind, journal.id))) {
            const folder = ITEM_FOLDERS[kind];
            m[folder] = [...m[folder], { id: journal.id, name: journal.name, created: journal.created }];
            report.completed.push(`${kind} ${journal.id}`);
            changed = true;
          }
        }
        await fs.rm(full, { force: true });
        continue;
      }
      const owner = parseStagingName(name);
      const dead = !owner || (isThisHost(owner.host) && owner.pid !== process.pid && !pidAlive(owner.pid));
      if (dead) {
        await rmrf(full);
        report.removedStaging++;
      }
    }

    const trashRoot = path.join(this.dir, TRASH_DIR);
    for (const name of await readdirIfExists(trashRoot)) {
      const full = path.join(trashRoot, name);
      const item = parseTrashName(name);
      if (item && listed(item.kind, item.id) && !(await exists(itemDir(this.dir, item.kind, item.id)))) {
        await fs.rename(full, itemDir(this.dir, item.kind, item.id));
        report.restored.push(`${item.kind} ${item.id}`);
      } else {
        await rmrf(full);
        report.removedTrash++;
      }
    }

    for (const name of await readdirIfExists(this.dir)) {
      if (isAtomicTempName(name, MANIFEST_FILE)) await fs.rm(path.join(this.dir, name), { force: true });
    }

    if (changed) await this.updateManifest(() => m);
  }

  private assertAbsent(kind: ItemKind, id: string, m: ProjectManifest): void {
    if (m[ITEM_FOLDERS[kind]].some((e) => e.id === id)) {
      throw new UserError(
        `A ${KIND_LABEL[kind]} with id '${id}' already exists in project ${this.dir}; choose another id or delete it first.`,
      );
    }
  }

  private async makeStagingDir(): Promise<string> {
    const root = path.join(this.dir, STAGING_DIR);
    await fs.mkdir(root, { recursive: true });
    const dir = path.join(root, stagingName());
    await fs.mkdir(dir);
    return dir;
  }

  private async trashPath(kind: ItemKind, id: string): Promise<string> {
    const root = path.join(this.dir, TRASH_DIR);
    await fs.mkdir(root, { recursive: true });
    return path.join(root, trashName(kind, id));
  }
}

/** Why a parsed run.json is not a run this version can show, or undefined when it is one. */
function runRecordProblem(file: string, value: unknown): string | undefined {
  if (runKindOf(value) === 'ablation') return ablationRecordProblem(file, value);
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version === 'number' && version > RUN_SCHEMA_VERSION) {
    return `${file}: written by a newer Mnemoscope (run schema version ${version}, this one reads up to ${RUN_SCHEMA_VERSION}); update Mnemoscope`;
  }
  if (isPartialRunJson(value)) return partialRunProblem(file, value);
  const parsed = RunRecordSchema.safeParse(value);
  return parsed.success ? undefined : describeSchemaError(file, parsed.error, 'run.json');
}

/** What a parsed run.json is: a context ablation says `kind: 'ablation'`; anything else is a sweep. */
export function runKindOf(value: unknown): RunKind {
  return (value as { kind?: unknown } | null)?.kind === 'ablation' ? 'ablation' : 'sweep';
}

/** What is wrong with an ablation run's run.json (written by a newer Mnemoscope, or not valid), or undefined. */
export function ablationRecordProblem(file: string, value: unknown): string | undefined {
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version === 'number' && version > ABLATION_SCHEMA_VERSION) {
    return `${file}: an ablation run written by a newer Mnemoscope (ablation schema version ${version}, this one reads up to ${ABLATION_SCHEMA_VERSION}); update Mnemoscope`;
  }
  const parsed = AblationRecordSchema.safeParse(value);
  return parsed.success ? undefined : describeSchemaError(file, parsed.error, 'run.json');
}

/** Whether a parsed run.json is a partial run (`analyze --shard`): it has a `partial` object. */
export function isPartialRunJson(value: unknown): boolean {
  const partial = (value as { partial?: unknown } | null)?.partial;
  return typeof partial === 'object' && partial !== null;
}

/** What is wrong with a partial run's run.json (written by a newer Mnemoscope, or not valid), or undefined. */
export function partialRunProblem(file: string, value: unknown): string | undefined {
  const version = (value as { partial: { version?: unknown } }).partial.version;
  if (typeof version === 'number' && version > PARTIAL_RUN_VERSION) {
    return `${file}: a partial run written by a newer Mnemoscope (partial run version ${version}, this one reads up to ${PARTIAL_RUN_VERSION}); update Mnemoscope`;
  }
  const parsed = PartialRunRecordSchema.safeParse(value);
  return parsed.success ? undefined : describeSchemaError(file, parsed.error, 'run.json');
}

function checkId(kind: ItemKind, id: string): void {
  if (typeof id !== 'string' || !ITEM_ID_PATTERN.test(id)) {
    throw new UserError(
      `Invalid ${KIND_LABEL[kind]} id ${JSON.stringify(id)}: use 1-64 characters of letters, digits, '.', '_' ` +
        `or '-', starting with a letter or digit.`,
    );
  }
}

function checkName(name: string): string {
  const parsed = ProjectNameSchema.safeParse(name);
  if (!parsed.success) throw new UserError(`Invalid project name ${JSON.stringify(name)}: ${parsed.error.issues[0].message}.`);
  return parsed.data;
}

async function readdirIfExists(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    if (errno(err) === 'ENOENT') return [];
    throw err;
  }
}

async function renameIfExists(from: string, to: string): Promise<boolean> {
  try {
    await fs.rename(from, to);
    return true;
  } catch (err) {
    if (errno(err) === 'ENOENT') return false;
    throw err;
  }
}

async function statDir(dir: string): Promise<'absent' | 'dir' | 'other'> {
  try {
    return (await fs.stat(dir)).isDirectory() ? 'dir' : 'other';
  } catch (err) {
    if (errno(err) === 'ENOENT') return 'absent';
    throw err;
  }
}

/**
 * Make a new project in `dir` (created if missing). Refuses a folder that already holds
 * a project or anything else, so a project never mixes with unrelated files.
 */
export async function createProject(dir: string, name: string, options: ProjectOptions = {}): Promise<ProjectStore> {
  const root = path.resolve(dir);
  const checked = checkName(name);
  const kind = await statDir(root);
  if (kind === 'other') throw new UserError(`${root} exists and is not a folder.`);
  const refuseExisting = async () => {
    const entries = await readdirIfExists(root);
    if (entries.includes(MANIFEST_FILE)) {
      throw new UserError(`${root} already contains a Mnemoscope project (${MANIFEST_FILE}); open it instead.`);
    }
    const others: string[] = [];
    for (const e of entries) {
      // Empty item folders are what a create interrupted before writing project.json leaves.
      const ours = ITEM_FOLDER_NAMES.has(e) && (await readdirIfExists(path.join(root, e))).length === 0;
      if (!OS_JUNK.has(e) && !ours) others.push(e);
    }
    if (others.length > 0) {
      throw new UserError(
        `${root} is not empty and is not a Mnemoscope project (it contains ${others.slice(0, 3).join(', ')}` +
          `${others.length > 3 ? ', …' : ''}); choose a new or empty folder.`,
      );
    }
  };
  await refuseExisting();
  await makeFolders(root);
  const created = now();
  const manifest: ProjectManifest = {
    schemaVersion: PROJECT_SCHEMA_VERSION,
    app: PROJECT_APP,
    name: checked,
    created,
    modified: created,
    corpora: [],
    models: [],
    runs: [],
  };
  const store = await ProjectStore.attach(root, manifest, options);
  await store.withWriteLock(async () => {
    await refuseExisting(); // another process may have won the race
    for (const folder of Object.values(ITEM_FOLDERS)) await fs.mkdir(path.join(root, folder), { recursive: true });
    // project.json last: its presence is what makes the folder a project.
    await writeManifestFile(path.join(root, MANIFEST_FILE), manifest);
  });
  return store;
}

/** Open an existing project, validating project.json (migrating older versions) and tidying crash leftovers. */
export async function openProject(dir: string, options: ProjectOptions = {}): Promise<ProjectStore> {
  const root = path.resolve(dir);
  const kind = await statDir(root);
  if (kind === 'absent') throw new UserError(`Project folder ${root} does not exist.`);
  if (kind === 'other') throw new UserError(`${root} is not a folder.`);
  const manifestFile = path.join(root, MANIFEST_FILE);
  if (!(await exists(manifestFile))) {
    throw new UserError(`${root} is not a Mnemoscope project (no ${MANIFEST_FILE}); create one with 'project create'.`);
  }
  const { manifest } = await readManifestFile(manifestFile);
  const store = await ProjectStore.attach(root, manifest, options);
  if (!options.readOnly) await store.cleanup();
  return store;
}
