// Lint: typescript-eslint, React hooks, and the house's layers (docs/architecture.md) as errors, so a wrong import
// fails `npm run lint` (and `npm test`). tests/lint/layering.test.ts proves each rule bites.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';

const noElectron = { name: 'electron', message: 'Only src-main/electron/ may import electron.' };
const nodeOnly = ['fs', 'net', 'child_process', 'better-sqlite3', 'pg', 'node:*', 'ws', 'pino', 'piscina'];

/** Who may not import whom: one zone per arrow the house forbids (the `target` folder may not import the `from` ones). */
const layerZones = [
  { target: './src-main/domain', from: ['./src-main/adapters', './src-main/services', './src-main/transport', './src-main/electron'], message: 'The domain is pure: no adapters, services, transports or Electron.' },
  { target: './src-main/ports', from: ['./src-main/adapters', './src-main/services'], message: 'Ports are interfaces: they import no adapter or service.' },
  { target: './src-main/services', from: ['./src-main/adapters', './src-main/transport', './src-main/electron'], message: 'Services use ports; only the composition root (src-main/app.ts, src-main/composition/) builds adapters.' },
  { target: './src-main/adapters', from: ['./src-main/services', './src-main/transport'], message: 'Adapters implement ports; they call no service or transport.' },
  { target: './src-shared', from: ['./src-main', './src-renderer'], message: 'src-shared runs anywhere: it imports nothing from main or the renderer.' },
  { target: './src-renderer', from: ['./src-main'], message: 'The renderer talks to main only through the API contract (src-shared/api).' },
  { target: './src-main/cli', from: ['./src-main/adapters/sqlite/store.ts', './src-main/adapters/postgres/store.ts'], message: 'The CLI opens the database through the headless app (src-main/composition/headless.ts), as the terminal does.' },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'native/**', 'drizzle/**', 'drizzle-pg/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  {
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      // How import-x reads the files an import leads to (no-cycle follows them): TypeScript, resolved as tsc does.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['./tsconfig.main.json', './tsconfig.renderer.json', './tsconfig.shared.json'], noWarnOnMultipleProjects: true })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // A test is a small composition root of its own: it builds the real adapters the code under test is given.
    files: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { 'import-x/no-restricted-paths': 'off' },
  },
  {
    files: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src-main/domain/**'],
    rules: {
      'import-x/no-nodejs-modules': ['error'],
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [
          { group: ['node:*'], message: 'The domain is pure: no Node modules (time through the Clock port, files through adapters).' },
          { group: ['**/adapters/**', '**/transport/**', '**/services/**'], message: 'Domain code is pure: no adapters, services or transports.' },
        ],
      }],
    },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'import-x/no-nodejs-modules': ['error'],
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [
          { group: nodeOnly, message: 'src-shared runs anywhere: no Node-only modules.' },
          { group: ['**/src-main/**', '**/src-renderer/**'], message: 'src-shared imports nothing from main or the renderer.' },
        ],
      }],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [
          { group: nodeOnly, message: 'The renderer runs in a browser: no Node-only modules.' },
          { group: ['**/src-main/**'], message: 'The renderer talks to main only through the API contract.' },
        ],
      }],
    },
  },
);
