// Where Mnemoscope keeps a user's files: one rule, each OS's own convention.
//
//             settings (settings.json)                        data (the demo project)
//   Linux     $XDG_CONFIG_HOME/mnemoscope (~/.config/...)     $XDG_DATA_HOME/mnemoscope (~/.local/share/...)
//   macOS     ~/Library/Application Support/Mnemoscope        the same folder
//   Windows   %APPDATA%\Mnemoscope                            the same folder
//
// Overrides: $MNEMOSCOPE_CONFIG_DIR for the settings, $MNEMOSCOPE_DATA_DIR for the data; with
// only $MNEMOSCOPE_CONFIG_DIR set, the data goes there too (portable installs and tests keep
// everything in one folder).
import os from 'node:os';
import path from 'node:path';

export interface FolderContext {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

function resolved(c: FolderContext): Required<FolderContext> {
  return { env: c.env ?? process.env, platform: c.platform ?? process.platform, home: c.home ?? os.homedir() };
}

/** The OS's per-user application folder on macOS and Windows; null on Linux and the other Unixes (XDG). */
function appSupportDir({ env, platform, home }: Required<FolderContext>): string | null {
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Mnemoscope');
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'Mnemoscope');
  return null;
}

/** The folder of the settings file. */
export function userConfigDir(context: FolderContext = {}): string {
  const c = resolved(context);
  if (c.env.MNEMOSCOPE_CONFIG_DIR) return path.resolve(c.env.MNEMOSCOPE_CONFIG_DIR);
  return appSupportDir(c) ?? path.join(c.env.XDG_CONFIG_HOME || path.join(c.home, '.config'), 'mnemoscope');
}

/** The per-user data folder (the demo project's parent). */
export function userDataDir(context: FolderContext = {}): string {
  const c = resolved(context);
  if (c.env.MNEMOSCOPE_DATA_DIR) return path.resolve(c.env.MNEMOSCOPE_DATA_DIR);
  if (c.env.MNEMOSCOPE_CONFIG_DIR) return path.resolve(c.env.MNEMOSCOPE_CONFIG_DIR);
  return appSupportDir(c) ?? path.join(c.env.XDG_DATA_HOME || path.join(c.home, '.local', 'share'), 'mnemoscope');
}

/**
 * Where versions before this rule kept the settings on every OS ($XDG_CONFIG_HOME or
 * ~/.config, then mnemoscope/), when that is not where they belong now; else null.
 */
export function legacyConfigDir(context: FolderContext = {}): string | null {
  const c = resolved(context);
  if (c.env.MNEMOSCOPE_CONFIG_DIR) return null;
  const old = path.join(c.env.XDG_CONFIG_HOME || path.join(c.home, '.config'), 'mnemoscope');
  return old === userConfigDir(c) ? null : old;
}
