import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFolders } from '../../../main/engine/project/make-folders';

describe('makeFolders', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-folders-'));
  });
  afterEach(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('makes every missing level and accepts a folder that exists', async () => {
    const deep = path.join(tmp, 'a', 'b', 'c');
    await makeFolders(deep);
    expect((await fs.stat(deep)).isDirectory()).toBe(true);
    await makeFolders(deep);
    await makeFolders(tmp);
  });

  it('refuses a path whose nearest existing level is a file', async () => {
    const file = path.join(tmp, 'file.txt');
    await fs.writeFile(file, 'x');
    await expect(makeFolders(file)).rejects.toThrow(/exists and is not a folder/);
    await expect(makeFolders(path.join(file, 'below'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it.runIf(process.platform === 'linux')('fails at once under /proc, where fs.mkdir(recursive) never returns', async () => {
    await expect(makeFolders('/proc/mnemoscope-test/x')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
