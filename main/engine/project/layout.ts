// Names of the files and folders inside a project folder (DESIGN.md §2), and the
// encoded names of the store's private staging and trash entries.
import path from 'node:path';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { ITEM_FOLDERS, ItemKindSchema, type ItemKind } from '../../../shared/schemas/project';

export const MANIFEST_FILE = 'project.json';
export const LOCK_FILE = 'project.lock';
/** Items being written; renamed into place when complete. */
export const STAGING_DIR = '.staging';
/** Items being removed or replaced; deleted right after the rename. */
export const TRASH_DIR = '.trash';
/** Metadata file each module writes inside its item folder. */
export const ITEM_META_FILE = { corpus: 'corpus.json', model: 'training.json', run: 'run.json' } as const satisfies Record<
  ItemKind,
  string
>;

export const KIND_LABEL: Record<ItemKind, string> = { corpus: 'corpus', model: 'model', run: 'run' };

export function itemDir(root: string, kind: ItemKind, id: string): string {
  return path.join(root, ITEM_FOLDERS[kind], id);
}

// Host names are [A-Za-z0-9.-] by RFC; anything else is replaced so the name stays one path segment.
function safeHost(): string {
  return hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'host';
}

const rand = () => randomBytes(6).toString('hex');

/** `<host>~<pid>~<thread>~<random>`: lets a later open tell a crashed writer's leftovers from a live one's. */
export function stagingName(): string {
  return `${safeHost()}~${process.pid}~${threadId}~${rand()}`;
}

export function parseStagingName(name: string): { host: string; pid: number } | undefined {
  const m = /^([A-Za-z0-9._-]+)~(\d+)~\d+~[0-9a-f]+$/.exec(name);
  return m ? { host: m[1], pid: Number(m[2]) } : undefined;
}

export function isThisHost(host: string): boolean {
  return host === safeHost();
}

/** `<kind>~<id>~<random>`: a crash between the two renames of a replace can be undone from it. */
export function trashName(kind: ItemKind, id: string): string {
  return `${kind}~${id}~${rand()}`;
}

export function parseTrashName(name: string): { kind: ItemKind; id: string } | undefined {
  const m = /^([a-z]+)~([A-Za-z0-9._-]+)~[0-9a-f]+$/.exec(name);
  if (!m) return undefined;
  const kind = ItemKindSchema.safeParse(m[1]);
  return kind.success ? { kind: kind.data, id: m[2] } : undefined;
}
