// The window opens at the size and place it had when it was last closed (kept in the
// engine's settings file), unless that place is no longer on any display.
import { screen, type BrowserWindow, type Rectangle } from 'electron';
import type { SettingsStore } from '../engine/settings';
import type { WindowBounds } from '../../shared/settings';

export const DEFAULT_BOUNDS: WindowBounds = { width: 1280, height: 860 };

function visibleOnSomeDisplay(b: Rectangle): boolean {
  return screen.getAllDisplays().some(({ workArea: w }) =>
    b.x < w.x + w.width && b.x + b.width > w.x && b.y < w.y + w.height && b.y + b.height > w.y,
  );
}

export async function savedBounds(settings: SettingsStore): Promise<WindowBounds> {
  const saved = (await settings.read()).settings.window;
  if (!saved) return DEFAULT_BOUNDS;
  if (saved.x !== undefined && saved.y !== undefined) {
    const rect = { x: saved.x, y: saved.y, width: saved.width, height: saved.height };
    if (!visibleOnSomeDisplay(rect)) return { width: saved.width, height: saved.height, maximized: saved.maximized };
  }
  return saved;
}

export function rememberBounds(win: BrowserWindow, settings: SettingsStore): void {
  win.on('close', () => {
    const b = win.getNormalBounds();
    void settings.patch({
      window: {
        width: Math.max(200, Math.round(b.width)),
        height: Math.max(200, Math.round(b.height)),
        x: Math.round(b.x),
        y: Math.round(b.y),
        maximized: win.isMaximized(),
      },
    });
  });
}
