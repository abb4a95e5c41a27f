// Lint rules, including the import boundaries of DESIGN.md §1:
//   shared/   imports neither Node, Electron nor the DOM;
//   renderer/ imports no Node and no Electron;
//   only main/electron/ imports 'electron'; the engine, server and CLI never do.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noNode = nodeBuiltins.map((name) => ({ name, message: 'Node modules are not allowed here (DESIGN.md §1).' }));
const noElectron = [
  { name: 'electron', message: "Only main/electron/ may import 'electron' (DESIGN.md §1)." },
];
const noElectronPatterns = [{ group: ['electron/*'], message: "Only main/electron/ may import 'electron'." }];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'test-results/**', 'renderer/**/*.svelte'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
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
    ignores: ['main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: noElectron, patterns: noElectronPatterns }] },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: { ...globals.es2021 } },
    rules: {
      'no-restricted-imports': ['error', { paths: [...noNode, ...noElectron], patterns: noElectronPatterns }],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname', 'window', 'document'],
    },
  },
  {
    files: ['renderer/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { paths: [...noNode, ...noElectron], patterns: noElectronPatterns }],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
);
