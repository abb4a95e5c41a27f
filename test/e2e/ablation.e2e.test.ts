// End to end (issue 13): a context ablation clicked through the real UI against the real
// engine, on the demo project. Starts an ablation of the demo's small model from the form
// (tiny sizes), waits for it to end, checks that its run page draws Δ(τ), T(k), the classes
// and the frequency bands with one point per delay, then opens Compare with the demo's sweep
// of the same model and the ablation and checks the normalised plot, the table of first
// delays below 10 % against run.json, and the gradient-matches-behaviour row. Screenshots
// go to test-results/e2e/ablation-<nn>-<view>.png; after the first failure the rest is skipped.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchTarget, readJson, screenshot, type Target } from './harness';
import { dependentSteps } from './steps';

const LONG = 300_000; // installing the demo, or an ablation, on a loaded 2-core machine
const UI = 30_000;

const MODEL = 'adam-small';
const SWEEP = 'adam-small-sweep';
const RUN = 'adam-ablation';
const MAX_DELAY = 5;

let target: Target;
let page: Page;
let projectDir = '';

beforeAll(async () => {
  target = await launchTarget();
  page = target.page;
  page.setDefaultTimeout(UI);
}, LONG);

afterAll(async () => {
  await target?.close();
}, 60_000);

/** A step of the session: skipped once an earlier step failed. */
const step = dependentSteps(() => target, 'ablation-', LONG);

const main = () => page.locator('main#main');

interface AblationJson {
  kind: string;
  id: string;
  model: string;
  config: { maxDelay: number; classes: { name: string; set: string }[] };
  delta: { mean: (number | null)[]; se: ({ se: number } | null)[] };
  truncation: { mean: (number | null)[] };
}

interface SweepJson {
  summary: { delays: { tau: number; sigma1: number }[] };
}

/** The first delay at which y < 10 % of y(0), computed here from run.json, independently of the renderer. */
function firstBelow(ys: readonly (number | null)[]): number | null {
  const y0 = ys[0];
  if (y0 === null || y0 === undefined || y0 <= 0) return null;
  const i = ys.findIndex((y) => y !== null && y < 0.1 * y0);
  return i < 0 ? null : i;
}

/** The points a LinePlot draws for its series `s` (its circles, one per drawable point). */
const points = (testid: string, s: number) => page.getByTestId(testid).locator(`circle[data-point^="${s}:"]`);

describe.sequential('Mnemoscope in a browser: a context ablation', () => {
  step('opens the demo project', async () => {
    await page.locator('header.top .dot.connected').waitFor({ timeout: LONG });
    // The Electron app opens its demo project on first start; browser mode has a button for it.
    if (target.kind !== 'electron') {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects', exact: true }).click();
      await main().getByRole('button', { name: 'Open the demo project' }).click();
    }
    await page.getByTestId('compare-view').waitFor({ timeout: LONG });
    projectDir = (await page.locator('header.top code.dir').getAttribute('title')) ?? '';
    expect(projectDir).not.toBe('');
  });

  step('starts an ablation from the form, with progress, and opens its run page when it ends', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sweeps & runs', exact: true }).click();
    await main().getByRole('heading', { level: 1, name: 'Delay sweeps' }).waitFor();
    // Every run in the list says its kind: the demo's are sweeps.
    await main().locator(`tr:has-text("${SWEEP}") [data-run-kind="sweep"]`).first().waitFor();
    await main().getByRole('button', { name: 'New ablation' }).click();
    const form = main().getByRole('form', { name: 'Run a context ablation' });
    await form.waitFor();
    await form.locator('#ab-model').selectOption(MODEL);
    await form.locator('#ab-corpus').selectOption('brown');
    await form.locator('#ab-split').selectOption('test');
    await form.locator('#ab-mode').selectOption('unk');
    await page.locator('#ab-maxdelay').fill(String(MAX_DELAY));
    await page.locator('#ab-maxtokens').fill('2000');
    await page.locator('#ab-streams').fill('4');
    await page.locator('#ab-groups').fill('4');
    await page.locator('#ab-id').fill(RUN);
    await screenshot(page, 'ablation-01-form');
    await form.getByRole('button', { name: 'Start the ablation' }).click();

    // Its status block shows progress while it runs (unless it ended first: then its run page is open).
    const status = main().getByRole('region', { name: `Context ablation '${RUN}'`, exact: true });
    await status.getByRole('progressbar').or(page.getByTestId('ablation-header')).first().waitFor({ timeout: LONG });
    await page.getByTestId('ablation-header').filter({ hasText: `Ablation ${RUN}` }).waitFor({ timeout: LONG });
    expect(new URL(page.url()).hash).toBe(`#/results/${RUN}`);
  });

  step('draws Δ(τ), T(k), the classes and the frequency bands with one point per delay', async () => {
    const run = await readJson<AblationJson>(path.join(projectDir, 'runs', RUN, 'run.json'));
    expect(run).toMatchObject({ kind: 'ablation', id: RUN, model: MODEL, config: { maxDelay: MAX_DELAY } });
    const n = MAX_DELAY + 1;
    await points('plot-ablation-delta', 0).first().waitFor();
    expect(await points('plot-ablation-delta', 0).count()).toBe(run.delta.mean.filter((y) => y !== null).length);
    expect(run.delta.mean.filter((y) => y !== null)).toHaveLength(n);
    expect(await points('plot-ablation-truncation', 0).count()).toBe(n);
    // Δ(0) as the point's accessible name and tooltip give it: run.json's value.
    const first = points('plot-ablation-delta', 0).first();
    await first.focus();
    const value = page.getByTestId('plot-ablation-delta').locator('[data-testid="tooltip-value"][data-label="value"]');
    expect(Number(await value.getAttribute('data-value'))).toBe(run.delta.mean[0]);
    // One curve per frequency band (and all words), each with a point per delay.
    const bands = run.config.classes.filter((c) => c.set === 'frequency');
    expect(bands.length).toBeGreaterThan(1);
    for (let s = 0; s <= bands.length; s++) expect(await points('plot-ablation-bands', s).count()).toBeLessThanOrEqual(n);
    expect(await points('plot-ablation-bands', bands.length).count()).toBe(n); // all words
    await page.getByTestId('plot-ablation-classes').locator('svg.mn-chart').waitFor();
    await screenshot(page, 'ablation-02-run-page');
  });

  step('compares it with the sweep of the same model, normalised to τ = 0, with the first delays below 10 %', async () => {
    await page.goto(new URL(`#/compare?runs=${SWEEP},${RUN}`, page.url()).toString());
    await page.getByTestId('compare-view').waitFor();
    // The picker says each run's kind.
    expect(await page.getByTestId('compare-view').locator('label').filter({ hasText: RUN }).locator('[data-run-kind]').getAttribute('data-run-kind')).toBe('ablation');
    const plot = page.getByTestId('compare-normalised');
    await plot.locator('svg.mn-chart').waitFor({ timeout: LONG });
    expect(await plot.textContent()).toContain('Normalised to τ = 0');
    const [run, sweep] = await Promise.all([
      readJson<AblationJson>(path.join(projectDir, 'runs', RUN, 'run.json')),
      readJson<SweepJson>(path.join(projectDir, 'runs', SWEEP, 'run.json')),
    ]);
    // The sweep's σ₁ over its 31 delays and the ablation's Δ over its 6, each starting at 1.
    expect(await points('compare-normalised', 0).count()).toBe(sweep.summary.delays.length);
    expect(await points('compare-normalised', 1).count()).toBe(MAX_DELAY + 1);
    for (const s of [0, 1]) expect(await points('compare-normalised', s).first().getAttribute('aria-label')).toMatch(/delay 0: 1( ±|$)/);

    const table = page.getByTestId('compare-crossing');
    const cell = (id: string) => table.locator(`tr[data-run="${id}"] td[data-column="first-below"]`);
    const expected = [
      [SWEEP, firstBelow(sweep.summary.delays.map((d) => d.sigma1))],
      [RUN, firstBelow(run.delta.mean)],
    ] as const;
    for (const [id, tau] of expected) {
      expect(await cell(id).getAttribute('data-value')).toBe(tau === null ? '' : String(tau));
    }
    expect(await table.locator(`tr[data-run="${RUN}"]`).getAttribute('data-kind')).toBe('ablation');

    // Same model, corpus and split: the gradient-matches-behaviour row, with an answer from the engine.
    const check = page.getByTestId('compare-behaviour').locator(`tr[data-sweep="${SWEEP}"][data-ablation="${RUN}"]`);
    await expect.poll(() => check.getAttribute('data-holds'), { timeout: LONG }).toMatch(/^(holds|fails|unknown)$/);
    await screenshot(page, 'ablation-03-compare');
  });
});
