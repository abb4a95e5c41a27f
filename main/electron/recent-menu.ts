// File › Open Recent: the engine's recent-project list (projectRecent, most recent first)
// turned into menu items, then "Clear Recent". Pure: app-menu.ts hands the items to
// Electron's Menu, the tests read them as they are.

export interface RecentEntry {
  dir: string;
  name: string;
  /** False when the folder is gone or holds no project any more. */
  available: boolean;
}

export interface RecentMenuActions {
  open(dir: string): void;
  clear(): void;
}

/** A menu item as Electron's MenuItemConstructorOptions describes it (the fields used here). */
export type MenuItemDescription = { label: string; enabled: boolean; toolTip?: string; click?: () => void } | { type: 'separator' };

/** On Windows and Linux '&' marks the access key of a menu label; '&&' is a plain '&'. */
export function escapeMenuLabel(text: string): string {
  return text.replace(/&/g, '&&');
}

export function recentMenuItems(recent: readonly RecentEntry[], actions: RecentMenuActions): MenuItemDescription[] {
  const projects: MenuItemDescription[] = recent.map((r) => ({
    label: escapeMenuLabel(`${r.name} — ${r.dir}${r.available ? '' : ' (missing)'}`),
    enabled: r.available,
    toolTip: r.available ? r.dir : `${r.dir}: the folder is gone or holds no project`,
    click: () => actions.open(r.dir),
  }));
  return [
    ...(projects.length > 0 ? projects : [{ label: 'No Recent Projects', enabled: false }]),
    { type: 'separator' },
    { label: 'Clear Recent', enabled: recent.length > 0, click: () => actions.clear() },
  ];
}
