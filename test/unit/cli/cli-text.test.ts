// What the CLI prints, run in process (the commands as registered, stdout and stderr
// captured): names with control characters escaped in text and exact in --json (issue 10,
// defect 8), `project show` marking broken items in its text (defect 6), `corpus classes`
// refusing an existing id without --replace and a built-in one always (defect 2), and
// `export --out` refusing a folder with a one-line error and writing through a symbolic
// link (defect 1). The same commands run as the real `mnemoscope` in test/integration.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerProject } from '../../../main/cli/commands/project';
import { registerCorpus } from '../../../main/cli/commands/corpus';
import { registerExport } from '../../../main/cli/commands/export';
import { printable, shown } from '../../../main/cli/terminal-text';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { sweepTask, parseAnalyzeParams } from '../../../main/engine/runs';
import { makeRunProject, type RunProject } from '../runs/helpers';
import { tempDir } from '../contract/helpers';
import { runCliInProcess, type Ran } from './in-process';

/** Runs `mnemoscope <args>` in this process, as main/cli/index.ts would, and captures its output. */
const mnemoscope = (...args: string[]): Promise<Ran> => runCliInProcess([registerProject, registerCorpus, registerExport], args);

const ESC = '\u001b';
const hostile = `a\nb${ESC}[31mred`;

let root: string;
beforeAll(async () => {
  root = await tempDir('mnemo-cli-text-');
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('control characters in what the CLI prints', () => {
  it('shown() escapes every control character; printable() keeps only the line breaks', () => {
    expect(shown(hostile)).toBe('a\\nb\\e[31mred');
    expect(shown('x\ty\r\u0000\u007f\u009b\u202e')).toBe('x\\ty\\r\\x00\\x7f\\x9b\\u202e');
    expect(printable(`line 1\nline ${ESC}[2J2\u0007`)).toBe('line 1\nline \\e[2J2\\x07');
    expect(shown('naïve café ∑ 日本')).toBe('naïve café ∑ 日本');
  });

  it('a project name with a newline and ESC [31m is stored as given, printed escaped, and exact in --json', async () => {
    const dir = path.join(root, 'named');
    const made = await mnemoscope('project', 'create', '--project', dir, '--name', hostile);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toBe(`created project 'a\\nb\\e[31mred' in ${dir}\n`);
    expect(JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')).name).toBe(hostile);

    const text = await mnemoscope('project', 'show', '--project', dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toContain(ESC);
    expect(text.stdout.split('\n')[0]).toBe(`a\\nb\\e[31mred (${dir})`);

    const json = await mnemoscope('project', 'show', '--project', dir, '--json');
    expect(json.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(json.stdout).manifest.name).toBe(hostile);
  });

  it('a path with control characters in a user error stays on one line, escaped', async () => {
    const r = await mnemoscope('project', 'show', '--project', path.join(root, `no${ESC}]0;title\u0007\nsuch`));
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain(ESC);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no\\e]0;title\\x07\\nsuch');
  });
});

describe('commands on a project with a run', () => {
  let p: RunProject;
  beforeAll(async () => {
    p = await makeRunProject({ models: [{ id: 'm', embeddingDim: 6, units: [5] }] });
    await sweepTask(parseAnalyzeParams({ project: p.dir, corpus: 'c', model: 'm', id: 'r1', streams: 2, maxTokens: 80, maxDelay: 3, groups: 2, workers: 0 }), inProcessContext());
  });
  afterAll(async () => {
    await p?.cleanup();
  });

  it('export --out an existing folder: exit 1, one line, the folder untouched; through a symlink: the target written', async () => {
    const folder = path.join(root, 'out-folder');
    await fs.mkdir(folder);
    const r = await mnemoscope('export', '--project', p.dir, '--run', 'r1', '--format', 'csv', '--out', folder);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`mnemoscope: cannot write ${folder}: it is a folder; give the path of a new or regular file\n`);
    expect(r.stdout).toBe('');
    expect(await fs.readdir(folder)).toEqual([]);

    const target = path.join(root, 'target.csv');
    const link = path.join(root, 'link.csv');
    await fs.writeFile(target, 'old\n');
    await fs.symlink(target, link);
    const w = await mnemoscope('export', '--project', p.dir, '--run', 'r1', '--format', 'csv', '--out', link);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toMatch(new RegExp(`^wrote ${link} \\(through the symbolic link, to .*target\\.csv\\): run 'r1', 4 delays × \\d+ columns \\(csv\\)\\n$`));
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(target, 'utf8')).toMatch(/^tau,/);

    const j = await mnemoscope('export', '--project', p.dir, '--run', 'r1', '--format', 'json', '--out', folder, '--json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, error: { kind: 'user', message: expect.stringMatching(/it is a folder/) } });
  });

  it('corpus classes: --id paper refused (with --replace too); a user set needs --replace to be replaced', async () => {
    const words = path.join(root, 'colours.txt');
    await fs.writeFile(words, 'red\ngreen\n');
    const paper = path.join(p.dir, 'corpora', 'c', 'classes', 'paper.json');
    const before = await fs.readFile(paper, 'utf8');
    for (const extra of [[], ['--replace']]) {
      const r = await mnemoscope('corpus', 'classes', '--project', p.dir, '--corpus', 'c', '--id', 'paper', '--words', words, ...extra);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^mnemoscope: 'paper' is a built-in class set of corpus 'c' .*never replaced.*\n$/);
    }
    expect(await fs.readFile(paper, 'utf8')).toBe(before);

    const add = await mnemoscope('corpus', 'classes', '--project', p.dir, '--corpus', 'c', '--id', 'colours', '--words', words);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toBe("added class set 'colours' to corpus 'c'\nwords: 2 words\n");
    const again = await mnemoscope('corpus', 'classes', '--project', p.dir, '--corpus', 'c', '--id', 'colours', '--words', words, '--class', 'hues');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has a class set 'colours'.*--replace/);
    const replaced = await mnemoscope('corpus', 'classes', '--project', p.dir, '--corpus', 'c', '--id', 'colours', '--words', words, '--class', 'hues', '--replace', '--json');
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(JSON.parse(replaced.stdout)).toMatchObject({ ok: true, replaced: true, classSet: { id: 'colours', classes: { hues: ['green', 'red'] } } });
  });

  it('project show marks a run whose folder is gone and a run with a corrupt run.json, in text and in --json', async () => {
    const dir = path.join(root, 'broken');
    await fs.cp(p.dir, dir, { recursive: true });
    await fs.cp(path.join(dir, 'runs', 'r1'), path.join(dir, 'runs', 'r2'), { recursive: true });
    const m = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8'));
    m.runs.push({ ...m.runs[0], id: 'r2' });
    await fs.writeFile(path.join(dir, 'project.json'), JSON.stringify(m));
    await fs.rm(path.join(dir, 'runs', 'r1'), { recursive: true });
    await fs.writeFile(path.join(dir, 'runs', 'r2', 'run.json'), '{"schemaVersion": 1,');

    const r = await mnemoscope('project', 'show', '--project', dir);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toContain('runs: r1 (broken), r2 (broken)');
    expect(lines).toContain('corpora: c');
    expect(lines).toContain('models: m');
    expect(lines).toContain('broken items (2):');
    expect(lines.find((l) => l.startsWith("  run 'r1': "))).toMatch(/its folder .*runs\/r1 is missing/);
    expect(lines.find((l) => l.startsWith("  run 'r2': "))).toMatch(/runs\/r2\/run\.json: invalid JSON/);

    const j = JSON.parse((await mnemoscope('project', 'show', '--project', dir, '--json')).stdout);
    expect(j.runs.map((x: { id: string; problem?: string }) => [x.id, typeof x.problem])).toEqual([
      ['r1', 'string'],
      ['r2', 'string'],
    ]);
    expect(j.corpora).toEqual([expect.objectContaining({ id: 'c', problem: null })]);
    expect(j.models).toEqual([expect.objectContaining({ id: 'm', problem: null })]);

    // A model whose folder is gone is marked too, not listed as if nothing were wrong.
    await fs.rm(path.join(dir, 'models', 'm'), { recursive: true });
    const gone = await mnemoscope('project', 'show', '--project', dir);
    expect(gone.stdout).toContain('models: m (broken)');
    expect(gone.stdout).toMatch(/ {2}model 'm': its folder .*models\/m is missing/);
  });
});
