// Lint: typescript-eslint, React hooks, and the layer boundaries of the style guide as errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const noElectron = { name: 'electron', message: 'Only src-main/electron/ may import electron.' };
const nodeOnly = ['fs', 'net', 'child_process', 'better-sqlite3', 'pg', 'node:*', 'ws', 'pino', 'piscina'];

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
    files: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src-main/domain/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [{ group: ['**/adapters/**', '**/transport/**', '**/services/**'], message: 'Domain code is pure: no adapters, services or transports.' }],
      }],
    },
  },
  {
    files: ['src-shared/**'],
    rules: {
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
