// The page always carries the theme it shows as <html data-theme="light|dark">: 'system'
// is resolved here from prefers-color-scheme (and followed when it changes), so the
// stylesheets define the dark palette once, under [data-theme='dark'].

export type ThemePreference = 'system' | 'light' | 'dark';

export function resolveTheme(pref: ThemePreference, systemPrefersDark: boolean): 'light' | 'dark' {
  if (pref === 'system') return systemPrefersDark ? 'dark' : 'light';
  return pref;
}

/** Applies a preference to the page; returns the function that stops following the system. */
export function applyTheme(pref: ThemePreference, root: HTMLElement = document.documentElement): () => void {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = () => {
    root.dataset.theme = resolveTheme(pref, media.matches);
  };
  apply();
  if (pref !== 'system') return () => {};
  media.addEventListener('change', apply);
  return () => media.removeEventListener('change', apply);
}
