// File › Open Recent (main/electron/recent-menu.ts): the engine's recent list as menu items,
// most recent first, a missing folder shown but not clickable, "Clear Recent" last; and the
// settings' change signal the menu is rebuilt on.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { escapeMenuLabel, recentMenuItems, type MenuItemDescription, type RecentEntry } from '../../../main/electron/recent-menu';
import type { Engine } from '../../../main/engine/handlers/create-engine';
import type { Settings } from '../../../shared/settings';
import { testEngine } from '../contract/helpers';

function recorder() {
  const calls: string[] = [];
  return { calls, actions: { open: (dir: string) => calls.push(`open ${dir}`), clear: () => calls.push('clear') } };
}

const clickable = (item: MenuItemDescription) => ('click' in item && item.click ? item.click : undefined);
const labels = (items: MenuItemDescription[]) => items.map((i) => ('type' in i ? '---' : `${i.label}${i.enabled ? '' : ' [disabled]'}`));

describe('the Open Recent menu', () => {
  it('lists the projects in order, opens the one clicked, and clears the list', () => {
    const recent: RecentEntry[] = [
      { dir: '/home/ada/study', name: 'Memory study', available: true },
      { dir: '/mnt/usb/old', name: 'Old sweep', available: false },
      { dir: '/home/ada/brown', name: 'Brown', available: true },
    ];
    const { calls, actions } = recorder();
    const items = recentMenuItems(recent, actions);
    expect(labels(items)).toEqual([
      'Memory study — /home/ada/study',
      'Old sweep — /mnt/usb/old (missing) [disabled]',
      'Brown — /home/ada/brown',
      '---',
      'Clear Recent',
    ]);
    clickable(items[2])!();
    clickable(items[0])!();
    clickable(items[4])!();
    expect(calls).toEqual(['open /home/ada/brown', 'open /home/ada/study', 'clear']);
    expect((items[1] as { toolTip?: string }).toolTip).toMatch(/gone or holds no project/);
  });

  it('says there is nothing to open when the list is empty, and cannot be cleared then', () => {
    const { calls, actions } = recorder();
    const items = recentMenuItems([], actions);
    expect(labels(items)).toEqual(['No Recent Projects [disabled]', '---', 'Clear Recent [disabled]']);
    expect(clickable(items[0])).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it("keeps an '&' in a name or folder from becoming an access key", () => {
    expect(escapeMenuLabel('R&D && more')).toBe('R&&D &&&& more');
    const [item] = recentMenuItems([{ dir: '/p/a&b', name: 'Q&A', available: true }], recorder().actions);
    expect(item).toMatchObject({ label: 'Q&&A — /p/a&&b', toolTip: '/p/a&b' });
  });
});

describe('the recent list the menu is built from', () => {
  const engines: Engine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });

  it('follows the engine: opened projects first, a change signal for each, and empty once cleared', async () => {
    const { engine, dir } = await testEngine();
    engines.push(engine);
    const changes: Settings['recentProjects'][] = [];
    const off = engine.settings.onChange((s) => changes.push(s.recentProjects));

    await engine.api.projectCreate({ dir: path.join(dir, 'a'), name: 'A' });
    await engine.api.projectCreate({ dir: path.join(dir, 'b'), name: 'B' });
    await engine.api.projectOpen({ dir: path.join(dir, 'a') });
    const { actions } = recorder();
    const items = recentMenuItems(await engine.api.projectRecent({}), actions);
    expect(labels(items)).toEqual([`A — ${path.join(dir, 'a')}`, `B — ${path.join(dir, 'b')}`, '---', 'Clear Recent']);
    expect(changes.map((list) => list.map((r) => r.name))).toEqual([['A'], ['B', 'A'], ['A', 'B']]);

    // What "Clear Recent" sends.
    const reply = await engine.dispatch('settingsSet', { recentProjects: [] });
    expect(reply.ok).toBe(true);
    expect(changes.at(-1)).toEqual([]);
    expect(labels(recentMenuItems(await engine.api.projectRecent({}), actions))[0]).toBe('No Recent Projects [disabled]');

    off();
    await engine.api.projectOpen({ dir: path.join(dir, 'b') });
    expect(changes).toHaveLength(4); // no signal after unsubscribing
  });

  it('keeps a change saved when a listener throws', async () => {
    const { engine } = await testEngine();
    engines.push(engine);
    engine.settings.onChange(() => {
      throw new Error('menu broke');
    });
    const seen: string[] = [];
    engine.settings.onChange((s) => seen.push(s.theme));
    await expect(engine.settings.patch({ theme: 'dark' })).resolves.toMatchObject({ settings: { theme: 'dark' } });
    expect((await engine.settings.read()).settings.theme).toBe('dark');
    expect(seen).toEqual(['dark']);
  });
});
