// Stylesheets imported for their side effect (Vite bundles them): plot-theme.css here, the
// app's styles in the shell. Declared so TypeScript and svelte-check accept the imports.
declare module '*.css';
