// Runs @doyensec/electronegativity (Electron security review) over the Electron layer and
// fails on any finding above LOW. The tool requires 'commander' without declaring it and
// needs the API of commander 6 or older; the project itself uses commander 14, so requests for 'commander'
// from inside the tool are pointed at the 'commander-legacy' alias (commander 6, which keeps options as properties).
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const toolDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const legacy = require.resolve('commander-legacy');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'commander' && parent && parent.filename && parent.filename.startsWith(toolDir)) return legacy;
  return resolve.call(this, request, parent, ...rest);
};

// Checks that flag a pattern for manual review rather than a misconfiguration, with our review:
// PRELOAD_JS_CHECK flags every preload. Ours (main/electron/preload.ts) runs sandboxed with
// context isolation and exposes one named function per contract procedure and event
// subscriptions that return an unsubscribe, plus the desktop-only pickPath on its own fixed
// channel (main checks the sender frame and the request); never ipcRenderer, never a generic send.
const MANUAL_REVIEW_DONE = ['PreloadJSCheck'];

if (process.argv[2] === '--run-tool') {
  process.argv.splice(2, 1);
  // The tool writes the CSV header and the rows with two fs.writeFile calls it does not
  // wait for, the rows appending: when the header lands second it truncates the file and
  // overwrites the start of the rows (seen in CI as a finding cut in half, of unknown
  // severity). Writes to one file are therefore made one after the other, in call order.
  const writeFile = fs.writeFile;
  const queues = new Map();
  fs.writeFile = (file, data, ...rest) => {
    const callback = typeof rest[rest.length - 1] === 'function' ? rest.pop() : () => {};
    const key = path.resolve(String(file));
    const previous = queues.get(key) || Promise.resolve();
    const next = previous.then(
      () => new Promise((resolve) => writeFile(file, data, ...rest, (err) => (callback(err), resolve()))),
    );
    queues.set(key, next);
  };
  require(path.join(toolDir, 'dist', 'index.js'));
} else {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eneg-')), 'report.csv');
  const electronVersion = require('electron/package.json').version;
  execFileSync(
    process.execPath,
    [__filename, '--run-tool', '-i', path.join(root, 'main', 'electron'), '-o', out, '-e', electronVersion, '-r', '-x', MANUAL_REVIEW_DONE.join(',')],
    // The tool prints a banner and tries the network (translations, Electron releases);
    // offline that only costs warnings, so its own output is kept quiet.
    { stdio: ['ignore', 'ignore', 'ignore'], cwd: root },
  );
  const rows = fs.readFileSync(out, 'utf8').trim().split('\n').slice(1).filter(Boolean);
  const severity = (row) => (row.match(/,"?(INFORMATIONAL|LOW|MEDIUM|HIGH|CRITICAL)"?,/) || [])[1] || 'UNKNOWN';
  const serious = rows.filter((r) => !['INFORMATIONAL', 'LOW'].includes(severity(r)));
  console.log(`electronegativity: ${rows.length} findings, ${serious.length} above LOW`);
  for (const r of rows) console.log(`  ${serious.includes(r) ? '✗' : '·'} ${r}`);
  process.exitCode = serious.length ? 1 : 0;
}
