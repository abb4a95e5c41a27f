// `mnemoscope serve --json`: prints {ok, url, port} once listening, serves the contract,
// and stops cleanly on Ctrl-C (SIGINT).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { tempDir } from '../../unit/contract/helpers';
import { openSocket, rawCall } from './helpers';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('mnemoscope serve', () => {
  it('prints the URL as JSON, serves calls, and exits 0 on SIGINT', async () => {
    const config = await tempDir('mnemo-cli-config-');
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', 'serve', '--json'], {
      cwd: root,
      env: { ...process.env, MNEMOSCOPE_CONFIG_DIR: config },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
      });
      const started = JSON.parse(line) as { ok: boolean; url: string; port: number };
      expect(started.ok).toBe(true);
      expect(started.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${started.port}/\\?token=[A-Za-z0-9_-]{43}$`));

      const token = new URL(started.url).searchParams.get('token');
      const open = await openSocket(`ws://127.0.0.1:${started.port}/ws?token=${token}`, { origin: `http://127.0.0.1:${started.port}` });
      const reply = await rawCall(open.ws as WebSocket, 1, 'settingsGet', {});
      expect(reply).toMatchObject({ type: 'result', output: { file: path.join(config, 'settings.json'), problem: null } });
      open.ws?.close();
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('stopping');
  });
});
