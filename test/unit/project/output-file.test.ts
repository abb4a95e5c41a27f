// writeOutputFile: what a path the user chose (export --out, runExport) may replace. A new
// or regular file is written atomically; a symbolic link to a regular file is written through
// at its target, and stays a link; a folder, FIFO, device, dangling link or a link to any of
// those is refused with a one-line UserError and left exactly as it was.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveOutputTarget, writeOutputFile } from '../../../main/engine/project/output-file';
import { isUserError } from '../../../main/engine/errors';
import { tempDir } from './helpers/temp-dirs';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const canMkfifo = process.platform !== 'win32';

/** The error a promise rejects with; fails the test if it resolves. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** A user error of one line, naming the path. */
async function userError(p: Promise<unknown>, file: string, what: RegExp): Promise<void> {
  const err = await rejection(p);
  expect(isUserError(err), String(err)).toBe(true);
  expect(err.message).not.toContain('\n');
  expect(err.message).toContain(file);
  expect(err.message).toMatch(what);
}

/** Everything in a folder, with what each entry is, to show nothing was added, removed or replaced. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await fs.readdir(dir)).sort()) {
    const st = await fs.lstat(path.join(dir, name));
    const kind = st.isSymbolicLink() ? `link→${await fs.readlink(path.join(dir, name))}` : st.isFIFO() ? 'fifo' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
    out.push(`${name} ${kind} ${st.ino} ${st.isFile() ? await fs.readFile(path.join(dir, name), 'utf8') : ''}`);
  }
  return out;
}

describe('writeOutputFile', () => {
  it('writes a new file, and replaces a regular file atomically, keeping its permission bits', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'out.csv');
    expect(await writeOutputFile(f, 'one\n')).toEqual({ requested: f, target: f });
    expect(await fs.readFile(f, 'utf8')).toBe('one\n');
    await fs.chmod(f, 0o640);
    const before = (await fs.stat(f)).ino;
    await writeOutputFile(f, 'two\n');
    expect(await fs.readFile(f, 'utf8')).toBe('two\n');
    const after = await fs.stat(f);
    expect(after.ino).not.toBe(before); // replaced by rename, not rewritten in place
    expect(after.mode & 0o777).toBe(0o640);
    expect(await fs.readdir(dir)).toEqual(['out.csv']); // no temporary file left
  });

  it('a relative path is taken from the working folder', async () => {
    const dir = await tempDir();
    const out = await resolveOutputTarget(path.relative(process.cwd(), path.join(dir, 'x.json')));
    expect(out.requested).toBe(path.join(dir, 'x.json'));
  });

  it('a symbolic link to a regular file is written through: the link stays a link, its target gets the data', async () => {
    const linkDir = await tempDir();
    const targetDir = await tempDir();
    const target = path.join(targetDir, 'target.csv');
    await fs.writeFile(target, 'old\n');
    await fs.chmod(target, 0o600);
    const link = path.join(linkDir, 'link.csv');
    await fs.symlink(target, link);

    const out = await writeOutputFile(link, 'new\n');
    expect(out).toMatchObject({ requested: link, target: await fs.realpath(target) });
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fs.readlink(link)).toBe(target);
    expect(await fs.readFile(target, 'utf8')).toBe('new\n');
    expect((await fs.stat(target)).mode & 0o777).toBe(0o600);
    // The temporary file went beside the target (a rename is atomic only within one folder) and is gone.
    expect(await fs.readdir(linkDir)).toEqual(['link.csv']);
    expect(await fs.readdir(targetDir)).toEqual(['target.csv']);
  });

  it('a relative link, and a chain of links, resolve to the final regular file', async () => {
    const dir = await tempDir();
    await fs.mkdir(path.join(dir, 'sub'));
    await fs.writeFile(path.join(dir, 'sub', 'real.json'), '{}');
    await fs.symlink('sub/real.json', path.join(dir, 'a.json'));
    await fs.symlink('a.json', path.join(dir, 'b.json'));
    await writeOutputFile(path.join(dir, 'b.json'), '[1]');
    expect(await fs.readFile(path.join(dir, 'sub', 'real.json'), 'utf8')).toBe('[1]');
    expect(await fs.readlink(path.join(dir, 'b.json'))).toBe('a.json');
    expect(await fs.readlink(path.join(dir, 'a.json'))).toBe('sub/real.json');
  });

  it('an existing folder is refused with a one-line user error, and left as it was', async () => {
    const dir = await tempDir();
    const folder = path.join(dir, 'results');
    await fs.mkdir(folder);
    await fs.writeFile(path.join(folder, 'keep.txt'), 'keep');
    const before = await snapshot(dir);
    await userError(writeOutputFile(folder, 'x'), folder, /it is a folder/);
    expect(await snapshot(dir)).toEqual(before);
    expect(await snapshot(folder)).toEqual(['keep.txt file ' + (await fs.stat(path.join(folder, 'keep.txt'))).ino + ' keep']);
  });

  it('a symbolic link to a folder, a dangling link and a loop of links are refused, nothing changed', async () => {
    const dir = await tempDir();
    await fs.mkdir(path.join(dir, 'folder'));
    await fs.symlink('folder', path.join(dir, 'to-folder'));
    await fs.symlink('nowhere.csv', path.join(dir, 'dangling'));
    await fs.symlink('loop-b', path.join(dir, 'loop-a'));
    await fs.symlink('loop-a', path.join(dir, 'loop-b'));
    const before = await snapshot(dir);
    await userError(writeOutputFile(path.join(dir, 'to-folder'), 'x'), path.join(dir, 'to-folder'), /symbolic link to folder, which is a folder/);
    await userError(writeOutputFile(path.join(dir, 'dangling'), 'x'), path.join(dir, 'dangling'), /symbolic link to nowhere\.csv, which does not exist/);
    await userError(writeOutputFile(path.join(dir, 'loop-a'), 'x'), path.join(dir, 'loop-a'), /too many levels of symbolic links/);
    expect(await snapshot(dir)).toEqual(before);
    expect(await fs.readdir(path.join(dir, 'folder'))).toEqual([]);
  });

  it.runIf(canMkfifo)('a FIFO, and a symbolic link to a FIFO, are refused without opening them; nothing changed', async () => {
    const dir = await tempDir();
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await fs.symlink('pipe', path.join(dir, 'to-pipe'));
    const before = await snapshot(dir);
    // Opening a FIFO for writing would block until a reader came: the test would time out.
    await userError(writeOutputFile(fifo, 'x'), fifo, /it is a named pipe \(FIFO\)/);
    await userError(writeOutputFile(path.join(dir, 'to-pipe'), 'x'), path.join(dir, 'to-pipe'), /symbolic link to pipe, which is a named pipe \(FIFO\)/);
    expect(await snapshot(dir)).toEqual(before);
    expect((await fs.lstat(fifo)).isFIFO()).toBe(true);
  });

  // A device node of our own (the numbers of /dev/null) in a temporary folder: only root may make one.
  it.runIf(isRoot && process.platform === 'linux')('a device node, and a link to one, are refused and stay devices', async () => {
    const dir = await tempDir();
    const dev = path.join(dir, 'null');
    execFileSync('mknod', [dev, 'c', '1', '3']);
    await fs.symlink(dev, path.join(dir, 'to-dev'));
    const before = await snapshot(dir);
    await userError(writeOutputFile(dev, 'x'), dev, /it is a character device/);
    await userError(writeOutputFile(path.join(dir, 'to-dev'), 'x'), path.join(dir, 'to-dev'), /which is a character device/);
    expect(await snapshot(dir)).toEqual(before);
    expect((await fs.lstat(dev)).isCharacterDevice()).toBe(true);
  });

  it('a folder that does not exist, or a file where a folder should be, is a user error', async () => {
    const dir = await tempDir();
    await userError(writeOutputFile(path.join(dir, 'no', 'x.csv'), 'x'), path.join(dir, 'no', 'x.csv'), /folder .*no does not exist/);
    await fs.writeFile(path.join(dir, 'file'), 'f');
    await userError(writeOutputFile(path.join(dir, 'file', 'x.csv'), 'x'), path.join(dir, 'file', 'x.csv'), /is not a folder/);
    expect(await fs.readFile(path.join(dir, 'file'), 'utf8')).toBe('f');
  });

  it.runIf(!isRoot && process.platform !== 'win32')('a read-only file is refused, not replaced', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'ro.csv');
    await fs.writeFile(f, 'keep');
    await fs.chmod(f, 0o444);
    await userError(writeOutputFile(f, 'x'), f, /read-only/);
    expect(await fs.readFile(f, 'utf8')).toBe('keep');
  });
});
