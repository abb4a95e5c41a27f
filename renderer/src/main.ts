import { mount } from 'svelte';
import App from './App.svelte';
import { resolveTheme } from './lib/state/theme';

// Paint the first frame in the system's theme; the saved preference applies once loaded.
document.documentElement.dataset.theme = resolveTheme('system', window.matchMedia('(prefers-color-scheme: dark)').matches);

const target = document.getElementById('app');
if (!target) throw new Error('missing #app element');
export default mount(App, { target });
