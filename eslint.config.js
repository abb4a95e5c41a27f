// Lint rules, including the import boundaries of DESIGN.md §1:
//   shared/   imports neither Node, Electron nor the DOM, and nothing from main/;
//   renderer/ imports no Node, no Electron and nothing from main/ (it talks to the
//             engine only through the shared/ contract);
//   only main/electron/ imports 'electron'; the engine, server and CLI never do;
//   main/engine/ imports nothing from main/cli, main/server or main/electron
//             (the transports depend on the engine, never the other way).
// Relative imports are checked by path segment, since the code base uses them throughout.
// `.svelte` files are linted too (eslint-plugin-svelte; <script lang="ts"> via typescript-eslint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noNode = nodeBuiltins.map((name) => ({ name, message: 'Node modules are not allowed here (DESIGN.md §1).' }));
const noElectron = [
  { name: 'electron', message: "Only main/electron/ may import 'electron' (DESIGN.md §1)." },
];
const noElectronPatterns = [{ group: ['electron/*'], message: "Only main/electron/ may import 'electron'." }];

// Layer boundaries on (relative) module specifiers, matched by path segment.
const MAIN_DIR = String.raw`(^|/)main(/|$)`;
const TRANSPORT_DIRS = String.raw`^\.{1,2}/(.*/)?(cli|server|electron)(/|$)`;
const noMainPatterns = [
  { regex: MAIN_DIR, message: 'renderer/ and shared/ import nothing from main/; go through the shared/ contract.' },
];
const noTransportPatterns = [
  {
    regex: TRANSPORT_DIRS,
    message: 'main/engine imports nothing from main/cli, main/server or main/electron; move the shared piece into the engine or shared/.',
  },
];
// no-restricted-imports does not see dynamic import(); guard those with the same expressions.
const noDynamicImport = (regex, message) => ({
  selector: `ImportExpression[source.type='Literal'][source.value=/${regex.replaceAll('/', '\\/')}/]`,
  message,
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'test-results/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // <script lang="ts"> in components and the runes modules (*.svelte.ts).
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
    rules: {
      // Every component script is TypeScript: as for .ts files (typescript-eslint's advice),
      // undefined names are the compiler's job (svelte-check), not no-undef's, which misreads type-only globals.
      'no-undef': 'off',
      // Flags every `new Set`/`new Map` in a component or runes module, including function-local
      // temporaries and non-reactive bookkeeping (listeners, waiters). Renderer state holds immutable
      // values that are replaced, never mutated ($state.raw), so SvelteSet/SvelteMap would only add
      // reactivity nobody reads.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['main/**/*.{ts,mjs,js}', 'test/**/*.ts', 'build/**/*.{mjs,ts,js}', '*.{js,ts,mjs}', 'renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // CommonJS scripts (the electronegativity wrapper must hook require()).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**', 'main/engine/**'],
    rules: { 'no-restricted-imports': ['error', { paths: noElectron, patterns: noElectronPatterns }] },
  },
  {
    files: ['main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: noElectron, patterns: [...noElectronPatterns, ...noTransportPatterns] },
      ],
      'no-restricted-syntax': ['error', noDynamicImport(TRANSPORT_DIRS, noTransportPatterns[0].message)],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: { ...globals.es2021 } },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [...noNode, ...noElectron], patterns: [...noElectronPatterns, ...noMainPatterns] },
      ],
      'no-restricted-syntax': ['error', noDynamicImport(MAIN_DIR, noMainPatterns[0].message)],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname', 'window', 'document'],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,svelte}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [...noNode, ...noElectron], patterns: [...noElectronPatterns, ...noMainPatterns] },
      ],
      'no-restricted-syntax': ['error', noDynamicImport(MAIN_DIR, noMainPatterns[0].message)],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
);
