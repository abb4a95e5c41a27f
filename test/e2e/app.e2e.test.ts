// End to end (issue 4 §4): a person's first session, clicked through the real UI in a real
// browser against the real engine: create a project, import a corpus (and fail to import a
// binary file), train a tiny model, run a delay sweep, read σ₁ off the plot's tooltip and
// check it against run.json on disk, export the plot as SVG and CSV, run a second sweep and
// compare the two runs, sweep two shards and merge them (Sweeps view), cancel a training,
// and import a PyTorch GRU whose detected architecture the form shows before importing (the
// sweep form then offers no cell state c). Each step
// saves a screenshot of its view to test-results/e2e/<nn>-<view>.png. The steps depend on
// each other: after the first failure the rest are skipped. Sizes are tiny; the waits are on
// text and test ids, never on time.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchTarget, readJson, ROOT, screenshot, SHOTS, type Target } from './harness';
import { dependentSteps } from './steps';

const LONG = 180_000; // a job on a loaded 2-core machine
const UI = 30_000; // the UI reacting to a click

const CORPUS = 'brown6';
const MODEL = 'tiny';
const RUN_C = 'tiny-c';
const RUN_H = 'tiny-h';
const MAX_DELAY = 8;

let target: Target;
let page: Page;
let projectDir: string;

beforeAll(async () => {
  // This run's screenshots only (not the JSON report a CI run writes here at the end).
  if (existsSync(SHOTS)) for (const f of readdirSync(SHOTS)) if (f.endsWith('.png')) rmSync(path.join(SHOTS, f));
  target = await launchTarget();
  page = target.page;
  page.setDefaultTimeout(UI);
  projectDir = path.join(target.projects, 'first-look');
}, LONG);

afterAll(async () => {
  await target?.close();
}, 60_000);

/** A step of the session: skipped once an earlier step failed. */
const step = dependentSteps(() => target, '', LONG);

const main = () => page.locator('main#main');

async function nav(label: string, heading: string | RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  await main().getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** The status block of a job, by the title the UI gives it ("Training of model 'tiny'"). */
const job = (title: string): Locator => main().getByRole('region', { name: title, exact: true });

async function fill(id: string, value: string): Promise<void> {
  await page.locator(`#${id}`).fill(value);
}

/** The text shown in a table cell for a count (formatCount). */
const count = (n: number) => Math.round(n).toLocaleString('en-US');

// The browser's XML parser, used inside page.evaluate (the tests are type-checked without the DOM library).
declare const DOMParser: new () => {
  parseFromString(text: string, type: string): {
    getElementsByTagName(name: string): { textContent: string | null }[];
    documentElement: { nodeName: string; getAttribute(name: string): string | null };
  };
};

interface RunJson {
  id: string;
  config: { state: string; maxDelay?: number };
  summary: { delays: { tau: number; sigma1: number; sum: number }[] };
}

describe.sequential('Mnemoscope in a browser: a first session', () => {
  step('opens on Projects and creates a project through the form', async () => {
    await page.locator('header.top .dot.connected').waitFor({ timeout: LONG }); // the engine is connected
    // Browser mode opens on Projects; the Electron app opens its demo project on first start.
    await nav('Projects', 'Projects');
    await main().locator('ul.attempts li').first().waitFor({ timeout: LONG }); // and said which backend runs
    await screenshot(page, '01-projects');

    await fill('create-name', 'First look');
    await fill('create-path', projectDir);
    await main().getByRole('button', { name: 'Create', exact: true }).click();

    await main().getByRole('heading', { level: 1, name: 'Corpora' }).waitFor();
    await expect.poll(() => page.locator('header.top .name').textContent()).toBe('First look');
    const manifest = await readJson<{ name: string; corpora: unknown[] }>(path.join(projectDir, 'project.json'));
    expect(manifest).toMatchObject({ name: 'First look', corpora: [] });
  });

  step("refuses a binary file as a corpus with the engine's message naming the file", async () => {
    const blob = path.join(target.home, 'weights.bin');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 256; // not UTF-8, with NUL bytes
    writeFileSync(blob, bytes);

    await main().getByRole('button', { name: 'Import a corpus' }).click();
    const form = main().getByRole('form', { name: 'Import a corpus' });
    await form.getByRole('radio', { name: /^One file/ }).check();
    await fill('ci-path', blob);
    await fill('ci-id', 'blob');
    await form.getByRole('button', { name: 'Import', exact: true }).click();

    const status = job("Import of corpus 'blob'");
    const failure = status.getByRole('alert');
    await failure.waitFor({ timeout: LONG });
    const message = (await failure.locator('.message').textContent()) ?? '';
    expect(message).toContain(blob);
    expect(message).not.toMatch(/internal error|TypeError|at .+\.js:\d+/);
    // The form stays open to fix and retry, with the same message; nothing was added to the project.
    await expect.poll(() => form.getByText(blob, { exact: false }).count()).toBeGreaterThan(0);
    expect(existsSync(path.join(projectDir, 'corpora', 'blob'))).toBe(false);
    // A notice says so too, wherever the person is; it stays until dismissed.
    const notice = page.getByRole('alert').filter({ hasText: "Import of corpus 'blob' failed" });
    expect(await notice.textContent()).toContain(blob);
    await screenshot(page, '02-corpora-import-failed');
    await notice.getByRole('button', { name: /^Dismiss/ }).click();
    await notice.waitFor({ state: 'detached' });
  });

  step('imports the built-in Brown corpus (6 files) and shows its statistics', async () => {
    const form = main().getByRole('form', { name: 'Import a corpus' });
    await form.getByRole('radio', { name: /^Built-in Brown corpus/ }).check();
    await fill('ci-maxfiles', '6');
    await fill('ci-id', CORPUS);
    await form.getByRole('button', { name: 'Import', exact: true }).click();

    // Done: the corpus is selected and its statistics are shown.
    const splits = main().locator('table.stats');
    await splits.waitFor({ timeout: LONG });
    const corpus = await readJson<{ stats: { splits: Record<'train' | 'valid' | 'test', { tokens: number; sentences: number }> } }>(
      path.join(projectDir, 'corpora', CORPUS, 'corpus.json'),
    );
    for (const s of ['train', 'valid', 'test'] as const) {
      const row = splits.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: s, exact: true }) });
      const cells = await row.locator('td').allTextContents();
      expect(corpus.stats.splits[s].tokens).toBeGreaterThan(0);
      expect(cells[0]).toBe(count(corpus.stats.splits[s].sentences));
      expect(cells[1]).toBe(count(corpus.stats.splits[s].tokens));
    }
    await main().getByRole('heading', { name: 'Tag distribution' }).waitFor();
    await screenshot(page, '03-corpora');
  });

  step('trains a tiny model through the form, with progress, to the end', async () => {
    await nav('Models', 'Models');
    await main().getByRole('button', { name: 'Train a model' }).click();
    const form = main().getByRole('form', { name: 'Train a model' });
    await form.waitFor();
    await fill('tf-id', MODEL);
    await form.locator('#tf-corpus').selectOption(CORPUS);
    // The authors' recipe fills the fields (39 epochs, forget-gate bias 0); the fields typed below override it.
    await form.locator('#tf-recipe').selectOption('verwimp2018');
    expect(await page.locator('#tf-epochs').inputValue()).toBe('39');
    expect(await page.locator('#tf-forgetBias').inputValue()).toBe('0');
    expect(await page.locator('#tf-embeddingDropout').inputValue()).toBe('0.5');
    await fill('tf-epochs', '1');
    // The estimate follows the fields: 1 epoch of at most 5000 tokens is far less than 39 full epochs.
    const estimate = form.getByTestId('train-estimate');
    expect(await estimate.textContent()).toMatch(/^\s*Estimated time: about /);
    await fill('tf-embeddingDim', '16');
    await fill('tf-hiddenSize', '32');
    await fill('tf-vocabSize', '500');
    await fill('tf-epochs', '1');
    await fill('tf-maxTokens', '5000');
    await form.getByRole('button', { name: 'Start training' }).click();

    const status = job(`Training of model '${MODEL}'`);
    await status.waitFor();
    // Progress is reported (the bar, or the live numbers once the first batch is done) ...
    const progressed = status.getByRole('progressbar').or(main().locator('.training dl.numbers')).first();
    await progressed.waitFor({ timeout: LONG });
    // ... and the job ends done.
    const done = status.getByText(/^Trained in /);
    await done.waitFor({ timeout: LONG });
    const model = path.join(projectDir, 'models', MODEL);
    for (const f of ['model.json', 'weights.bin', 'vocab.json', 'training.json']) expect(existsSync(path.join(model, f)), f).toBe(true);
    const training = await readJson<{ origin: { config: object; complete: boolean; cancelled: boolean } }>(path.join(model, 'training.json'));
    expect(training.origin).toMatchObject({
      complete: true,
      cancelled: false,
      config: { recipe: 'verwimp2018', embeddingDim: 16, hiddenSize: 32, vocabSize: 500, epochs: 1, maxTokens: 5000, forgetBias: 0, embeddingDropout: 0.5 },
    });

    await main().getByRole('button', { name: MODEL, exact: true }).click();
    await main().getByRole('heading', { name: 'Training history' }).waitFor();
    await screenshot(page, '04-models');
  });

  step('runs a delay sweep through the form and opens its results', async () => {
    await nav('Sweeps & runs', 'Delay sweeps');
    await sweep(RUN_C, 'c', '05-sweeps');
  });

  step('shows the results, and the tooltip of σ₁ at delay 0 holds the value in run.json', async () => {
    for (const id of ['plot-memory', 'plot-selectivity', 'plot-classes', 'plot-class-bars', 'plot-properties', 'plot-spectrum', 'plot-aligned']) {
      await page.getByTestId(id).waitFor();
    }

    const run = await readJson<RunJson>(path.join(projectDir, 'runs', RUN_C, 'run.json'));
    const at0 = run.summary.delays.find((d) => d.tau === 0)!;

    // Keyboard: the points of plot (a) take one tab stop; σ₁ (first series) at delay 0 is the first point.
    const memory = page.getByTestId('plot-memory');
    const point = memory.locator('circle[data-point="0:0"]');
    await point.focus();
    const tip = memory.getByTestId('tooltip');
    await tip.waitFor();
    expect(await tip.getByTestId('tooltip-title').textContent()).toBe('σ₁');
    const delay = tip.locator('[data-testid="tooltip-value"][data-label="delay"]');
    const value = tip.locator('[data-testid="tooltip-value"][data-label="value"]');
    expect(await delay.getAttribute('data-value')).toBe('0');
    expect(Number(await value.getAttribute('data-value'))).toBe(at0.sigma1); // full precision
    const shown = (await value.textContent()) ?? '';
    expect(Number(shown)).toBe(Number(at0.sigma1.toPrecision(6))); // as shown: 6 significant digits
    // The point's accessible name says the same.
    expect(await point.getAttribute('aria-label')).toContain(`delay 0: ${shown}`);
    await memory.screenshot({ path: path.join(SHOTS, '06-results-tooltip.png') });
    await screenshot(page, '06-results');

    // The mouse: hovering the last σ₁ point shows its delay.
    await page.keyboard.press('End');
    const last = memory.locator(`circle[data-point="0:${MAX_DELAY}"]`);
    await expect.poll(() => last.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    const box = (await last.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => delay.getAttribute('data-value')).toBe(String(MAX_DELAY));
    const atMax = run.summary.delays.find((d) => d.tau === MAX_DELAY)!;
    const hovered = Number(await value.getAttribute('data-value'));
    // Σσ may lie under the pointer as well: the tooltip shows the series it names.
    const title = await tip.getByTestId('tooltip-title').textContent();
    expect(hovered).toBe(title === 'σ₁' ? atMax.sigma1 : atMax.sum);
    await page.mouse.move(0, 0);
    await page.keyboard.press('Escape'); // the keyboard focus is still on a point: Esc hides its tooltip
    await tip.waitFor({ state: 'detached' });

    // The Paper check: one row per published finding, each with a ✓/✗/? state in words too.
    const check = page.getByTestId('paper-check');
    await check.getByTestId('paper-check-tally').waitFor({ timeout: LONG });
    expect(await check.locator('[data-finding]').count()).toBe(9);

    // The dark theme, remembered in this run's own settings file.
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await expect
      .poll(async () => (await readJson<{ theme?: string }>(path.join(target.home, 'config', 'settings.json')).catch(() => ({}) as { theme?: string })).theme)
      .toBe('dark');
    await screenshot(page, '06-results-dark');
    await page.getByRole('button', { name: 'Light theme' }).click();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
  });

  step('exports plot (a) as SVG and CSV', async () => {
    const memory = page.getByTestId('plot-memory');
    const svg = await target.download(() => memory.getByRole('button', { name: /as SVG$/ }).click());
    expect(svg.name).toMatch(/\.svg$/);
    const svgText = await readFile(svg.file, 'utf8');
    expect(svgText).toContain('<svg');
    // It parses as an SVG document (the browser's own XML parser).
    const problem = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const error = doc.getElementsByTagName('parsererror')[0];
      if (error) return error.textContent ?? 'parsererror';
      const root = doc.documentElement;
      return root.nodeName === 'svg' && root.getAttribute('xmlns') === 'http://www.w3.org/2000/svg' ? null : `root is ${root.nodeName}`;
    }, svgText);
    expect(problem).toBeNull();
    expect(svgText).toContain('σ₁');

    const csv = await target.download(() => memory.getByRole('button', { name: /as CSV$/ }).click());
    expect(csv.name).toMatch(/\.csv$/);
    const lines = (await readFile(csv.file, 'utf8')).trim().split(/\r?\n/);
    const head = lines[0].split(',');
    expect(head[0]).toBe('delay');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: MAX_DELAY + 1 }, (_, i) => i));
    // The σ₁ column holds run.json's values.
    const run = await readJson<RunJson>(path.join(projectDir, 'runs', RUN_C, 'run.json'));
    const col = head.findIndex((h) => h.replace(/^"|"$/g, '') === 'σ₁');
    expect(col, `a σ₁ column in ${lines[0]}`).toBeGreaterThan(0);
    rows.forEach((r, i) => expect(Number(r[col])).toBe(run.summary.delays[i].sigma1));
  });

  step('runs a second sweep (state h) and compares the two runs', async () => {
    await nav('Sweeps & runs', 'Delay sweeps');
    await main().getByRole('button', { name: 'New sweep' }).click();
    await sweep(RUN_H, 'h');
    await nav('Sweeps & runs', 'Delay sweeps');

    await main().getByRole('checkbox', { name: `Compare run ${RUN_C}` }).check();
    await main().getByRole('checkbox', { name: `Compare run ${RUN_H}` }).check();
    await main().getByRole('link', { name: 'Compare 2 runs' }).click();

    await page.getByTestId('compare-view').waitFor();
    expect(await page.getByTestId(`compare-run-${RUN_C}`).isChecked()).toBe(true);
    expect(await page.getByTestId(`compare-run-${RUN_H}`).isChecked()).toBe(true);
    const warnings = page.getByTestId('compare-warnings');
    await warnings.waitFor({ timeout: LONG });
    const settings = await warnings.locator('li[data-setting]').evaluateAll((els) => els.map((e) => e.getAttribute('data-setting')));
    expect(settings).toContain('state');
    expect(await warnings.locator('li[data-setting="state"]').textContent()).toMatch(/state/);

    const table = page.getByTestId('compare-table');
    expect(await table.locator('tbody tr').evaluateAll((els) => els.map((e) => e.getAttribute('data-run')))).toEqual([RUN_C, RUN_H]);
    // σ₁ at delay 0 in the table is each run's own.
    for (const id of [RUN_C, RUN_H]) {
      const run = await readJson<RunJson>(path.join(projectDir, 'runs', id, 'run.json'));
      const values = await table.locator(`tr[data-run="${id}"] td[data-value]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-value')));
      expect(values.map(Number)).toContain(run.summary.delays[0].sigma1);
    }
    await page.getByTestId('compare-sigma1').locator('svg.mn-chart').waitFor();
    await screenshot(page, '07-compare');
  });

  step('sweeps two shards with the Shard field, lists them as partial runs and merges them into the whole sweep', async () => {
    await nav('Sweeps & runs', 'Delay sweeps');
    for (const i of [1, 2]) {
      const form = main().getByRole('form', { name: 'Run a delay sweep' });
      if (!(await form.isVisible())) await main().getByRole('button', { name: 'New sweep' }).click();
      await form.waitFor();
      await form.locator('#sw-model').selectOption(MODEL);
      await form.locator('#sw-corpus').selectOption(CORPUS);
      await form.locator('#sw-state').selectOption('c');
      await fill('sw-maxdelay', String(MAX_DELAY));
      await fill('sw-maxtokens', '600');
      await fill('sw-id', `${MODEL}-s${i}`);
      await fill('sw-shard', `${i}/2`);
      await form.getByRole('button', { name: 'Start the sweep' }).click();
      await job(`Delay sweep '${MODEL}-s${i}'`).getByText(`A partial run (shard ${i}/2)`, { exact: false }).waitFor({ timeout: LONG });
    }
    // Listed as partial runs, not offered to Compare.
    const row = main().locator('tr').filter({ hasText: `${MODEL}-s2` });
    await row.getByText('shard 2/2', { exact: true }).waitFor();
    expect(await main().getByRole('checkbox', { name: `Compare run ${MODEL}-s2` }).isDisabled()).toBe(true);
    const merge = page.getByTestId('merge-shards');
    await merge.waitFor();
    await merge.getByTestId('merge-id').fill(`${MODEL}-merged`);
    await screenshot(page, '07b-sweeps-merge');
    await merge.getByTestId('merge-start').click();
    await page.getByTestId('run-header').filter({ hasText: `Run ${MODEL}-merged` }).waitFor({ timeout: LONG });
    // The merged run is the whole sweep (RUN_C has the same settings) within float32 rounding.
    const [merged, whole] = await Promise.all([`${MODEL}-merged`, RUN_C].map((id) => readJson<RunJson>(path.join(projectDir, 'runs', id, 'run.json'))));
    merged.summary.delays.forEach((d, t) => expect(Math.abs(d.sigma1 - whole.summary.delays[t].sigma1)).toBeLessThanOrEqual(1e-5 * whole.summary.delays[t].sigma1));
  });

  step('cancels a training before its first epoch ends: nothing is kept', async () => {
    await nav('Models', 'Models');
    const { status } = await startLongTraining('long');
    await status.getByRole('progressbar').waitFor({ timeout: LONG });
    await screenshot(page, '08-models-training');
    await status.getByRole('button', { name: 'Cancel', exact: true }).click();

    // Cancelled (nothing kept), or, on a machine fast enough to end the first epoch before the
    // click arrived, the best checkpoint kept: both are what the UI promises.
    const ended = status.getByText(/^Cancelled$/).or(status.getByText(KEPT));
    await ended.waitFor({ timeout: LONG });
    const text = (await ended.textContent()) ?? '';
    process.stdout.write(`e2e: the training cancelled at once ended as: ${text}\n`);
    if (text === 'Cancelled') {
      expect(await status.getByRole('status').textContent()).toContain('nothing half-written was kept');
      expect(existsSync(path.join(projectDir, 'models', 'long'))).toBe(false);
    } else {
      await expectKeptModel('long');
    }
    await expectNoLeftovers(text === 'Cancelled' ? [MODEL] : [MODEL, 'long']);
    await screenshot(page, '09-models-cancelled');
  });

  step('cancels a training after an epoch: the best checkpoint is kept, complete', async () => {
    const before = (await readJson<{ models: { id: string }[] }>(path.join(projectDir, 'project.json'))).models.map((m) => m.id);
    const { status } = await startLongTraining('kept');
    // The UI says what a cancel keeps once an epoch has ended.
    await status.getByText(/Cancelling keeps the best checkpoint \(epoch \d+\)\./).waitFor({ timeout: LONG });
    await status.getByRole('button', { name: 'Cancel', exact: true }).click();
    await status.getByText(KEPT).waitFor({ timeout: LONG });
    await expectKeptModel('kept');
    await expectNoLeftovers([...before, 'kept']);
    // The list marks it; its page says the checkpoint was kept.
    await main().getByRole('button', { name: 'kept', exact: true }).click();
    await main().getByText(/Training was cancelled; the best checkpoint so far \(epoch \d+\) was kept\./).waitFor();
    await screenshot(page, '10-models-kept');
  });

  step('imports a PyTorch model: the form shows the detected architecture first, and the sweep form knows a GRU has no c', async () => {
    const fixture = (name: string) => path.join(ROOT, 'test', 'fixtures', 'pytorch', name);
    await nav('Models', 'Models');
    await main().getByRole('button', { name: 'Import a model' }).click();
    const form = main().getByRole('form', { name: 'Import a model' });
    await form.waitFor();
    const importButton = form.getByRole('button', { name: 'Import', exact: true });
    expect(await importButton.isDisabled()).toBe(true);
    const fact = (label: string) => form.getByTestId('detected-facts').locator(`[data-fact="${label}"] dd`);

    // A vocabulary given as the model: the engine's reason, naming the file; Import stays disabled.
    await fill('mi-file', fixture('vocab.txt'));
    const refusal = form.getByRole('alert').filter({ hasText: 'This file cannot be imported' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(fixture('vocab.txt'));
    expect(await importButton.isDisabled()).toBe(true);

    // A tied two-layer LSTM, then a GRU: format, cell, layers, sizes and tying, before anything is imported.
    await fill('mi-file', fixture('lstm-2layer-tied.pt'));
    await expect.poll(() => fact('Layers').textContent()).toBe('2');
    expect(await fact('Format').textContent()).toBe('PyTorch state_dict (torch.save)');
    expect(await fact('Cell').textContent()).toBe('LSTM');
    expect(await fact('Sizes').textContent()).toBe('E 6 · H 6 → 6 · V 20');
    expect(await fact('Output').textContent()).toMatch(/^tied to the embedding/);
    await fill('mi-file', fixture('gru-1layer.pt'));
    await expect.poll(() => fact('Cell').textContent()).toBe('GRU');
    expect(await fact('Sizes').textContent()).toBe('E 5 · H 6 · V 20');
    expect(await fact('Output').textContent()).toBe('its own weights (not tied)');
    expect(await fact('Weights').textContent()).toBe('float32');
    expect(await importButton.isDisabled()).toBe(false);
    expect(await page.locator('#mi-id').inputValue()).toBe('gru-1layer');
    await screenshot(page, '11-models-import-detected');
    expect(existsSync(path.join(projectDir, 'models', 'gru-1layer'))).toBe(false);

    await fill('mi-vocab', fixture('vocab.txt'));
    await importButton.click();
    await main().getByRole('button', { name: 'gru-1layer', exact: true }).waitFor({ timeout: LONG });
    const training = await readJson<{ architecture: { layers: { cell: string }[] }; origin: { source: { pytorch?: string } } }>(
      path.join(projectDir, 'models', 'gru-1layer', 'training.json'),
    );
    expect(training.architecture.layers.map((l) => l.cell)).toEqual(['gru']);
    expect(training.origin.source.pytorch).toBe(fixture('gru-1layer.pt'));
    const facts = main().getByTestId('model-facts');
    await facts.waitFor();
    expect(await facts.locator('[data-fact="Cell"] dd').textContent()).toBe('GRU, sigmoid gates');
    expect(await facts.locator('[data-fact="Architecture"] dd').textContent()).toBe('V 20 · E 5 · GRU 6');

    // The sweep form: the cell state c is not offered for a GRU, and the reason is given.
    await main().getByRole('link', { name: 'Run a delay sweep…' }).click();
    const sweepForm = main().getByRole('form', { name: 'Run a delay sweep' });
    await sweepForm.waitFor();
    expect(await sweepForm.locator('#sw-model').inputValue()).toBe('gru-1layer');
    expect(await sweepForm.locator('#sw-state').inputValue()).toBe('h');
    expect(await sweepForm.locator('#sw-state option[value="c"]').isDisabled()).toBe(true);
    await sweepForm.getByText('layer 1 is a GRU: only LSTM layers have a cell state c; target the hidden state h').waitFor();
    await screenshot(page, '12-sweeps-gru');
  });
});

const KEPT = /^Cancelled after \d+ epochs?: the best checkpoint was kept$/;

/** Starts a training that would take long (50 epochs over the whole train split), through the form. */
async function startLongTraining(id: string): Promise<{ status: Locator }> {
  await main().getByRole('button', { name: 'Train a model' }).click();
  const form = main().getByRole('form', { name: 'Train a model' });
  await form.waitFor();
  await fill('tf-id', id);
  await form.locator('#tf-corpus').selectOption(CORPUS);
  await fill('tf-embeddingDim', '16');
  await fill('tf-hiddenSize', '32');
  await fill('tf-vocabSize', '500');
  await fill('tf-epochs', '50');
  await fill('tf-maxTokens', '');
  await form.getByRole('button', { name: 'Start training' }).click();
  const status = job(`Training of model '${id}'`);
  await status.waitFor();
  return { status };
}

/** A model kept from a cancelled training: every file there, marked cancelled, with at least one epoch. */
async function expectKeptModel(id: string): Promise<void> {
  const folder = path.join(projectDir, 'models', id);
  for (const f of ['model.json', 'weights.bin', 'vocab.json', 'training.json']) expect(existsSync(path.join(folder, f)), f).toBe(true);
  const training = await readJson<{ origin: { cancelled: boolean; bestEpoch: number; history: unknown[] } }>(path.join(folder, 'training.json'));
  expect(training.origin.cancelled).toBe(true);
  expect(training.origin.bestEpoch).toBeGreaterThanOrEqual(1);
  expect(training.origin.history.length).toBeGreaterThanOrEqual(training.origin.bestEpoch);
}

/** No staged leftovers in the project, and its manifest lists exactly these models. */
async function expectNoLeftovers(models: string[]): Promise<void> {
  const staging = path.join(projectDir, '.staging');
  expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
  expect(readdirSync(path.join(projectDir, 'models')).sort()).toEqual([...models].sort());
  const manifest = await readJson<{ models: { id: string }[] }>(path.join(projectDir, 'project.json'));
  expect(manifest.models.map((m) => m.id).sort()).toEqual([...models].sort());
}

/**
 * Fills the sweep form (tiny sizes) for the tiny model, starts it, and waits for the sweep to
 * finish: the Sweeps view then opens the run's results by itself.
 */
async function sweep(id: string, state: 'c' | 'h', shot?: string): Promise<void> {
  const form = main().getByRole('form', { name: 'Run a delay sweep' });
  await form.waitFor();
  await form.locator('#sw-model').selectOption(MODEL);
  await form.locator('#sw-corpus').selectOption(CORPUS);
  await form.locator('#sw-state').selectOption(state);
  await fill('sw-maxdelay', String(MAX_DELAY));
  await fill('sw-maxtokens', '600');
  await fill('sw-id', id);
  if (shot) await screenshot(page, shot);
  await form.getByRole('button', { name: 'Start the sweep' }).click();
  await page.getByTestId('run-header').filter({ hasText: `Run ${id}` }).waitFor({ timeout: LONG });
  expect(new URL(page.url()).hash).toBe(`#/results/${id}`);
  const run = await readJson<RunJson>(path.join(projectDir, 'runs', id, 'run.json'));
  expect(run).toMatchObject({ id, config: { state } });
  expect(run.summary.delays.map((d) => d.tau)).toEqual(Array.from({ length: MAX_DELAY + 1 }, (_, i) => i));
}
