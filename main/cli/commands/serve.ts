// `mnemoscope serve`: browser mode. Serves the user interface and the engine on
// 127.0.0.1 (or --host) with a secret token in the printed URL, until Ctrl-C.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { EXIT_INTERNAL, EXIT_USER } from '../command-runner';
import { isUserError } from '../../engine/errors';
import { startServer } from '../../server/start-server';
import { defaultRendererDir } from '../../server/renderer-dir';

interface ServeOpts {
  port: number;
  host: string;
  json?: boolean;
}

function portOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`--port must be an integer from 0 to 65535, got '${value}'`);
  return n;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

async function serve(opts: ServeOpts): Promise<number> {
  let server;
  try {
    server = await startServer({
      port: opts.port,
      host: opts.host,
      staticDir: defaultRendererDir(),
      engineOptions: {
        onInternalError: (procedure, err) => {
          const detail = err instanceof Error && process.env.MNEMOSCOPE_DEBUG ? (err.stack ?? err.message) : String(err);
          process.stderr.write(`mnemoscope: internal error in '${procedure}': ${detail}\n`);
        },
      },
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const user = isUserError(err);
    if (opts.json) process.stdout.write(JSON.stringify({ ok: false, error: { kind: user ? 'user' : 'internal', message } }) + '\n');
    process.stderr.write(`mnemoscope: ${user ? '' : 'internal error: '}${message}\n`);
    return user ? EXIT_USER : EXIT_INTERNAL;
  }

  if (opts.json) {
    process.stdout.write(JSON.stringify({ ok: true, url: server.url, port: server.port }) + '\n');
  } else {
    process.stdout.write(`Mnemoscope is serving at\n\n  ${server.url}\n\nOpen it in a browser. Press Ctrl-C to stop.\n`);
  }
  if (!LOOPBACK.has(opts.host)) {
    process.stderr.write(
      `mnemoscope: listening on ${opts.host}: anyone on the network who has this URL can use the engine, ` +
        'and the connection is not encrypted (prefer an SSH tunnel to 127.0.0.1).\n',
    );
  }

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(130); // second Ctrl-C: do not wait for jobs
      stopping = true;
      const running = server.engine.jobs.activeCount;
      process.stderr.write(running > 0 ? `stopping: cancelling ${running} running job(s)… (Ctrl-C again to quit at once)\n` : 'stopping…\n');
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the user interface and the engine to a web browser (browser mode)')
    .option('--port <n>', 'port to listen on (0: any free port)', portOption, 0)
    .option('--host <host>', 'address to listen on; other than 127.0.0.1 it is reachable from other machines', '127.0.0.1')
    .option('--json', 'print {ok, url, port} as one JSON line once the server is up')
    .action(async (opts: ServeOpts) => {
      process.exitCode = await serve(opts);
    });
}
