// Lint rules that encode STYLE.md's layers: imports point one way (cli -> render -> events/shared; the core
// never imports a renderer or the CLI), only the CLI decides how the process exits, and only
// supervisor/spawn.ts starts processes.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const renderOrCli = {
  group: ['**/render/**', '**/cli/**', 'ink', 'react', 'react/*'],
  message: 'the core knows nothing about terminals: emit an event or take a callback instead (STYLE.md, "The shape")',
};
const childProcess = {
  group: ['node:child_process', 'child_process', 'execa'],
  message: 'only src/supervisor/spawn.ts starts processes: add a function there',
};
const routerInternals = {
  group: ['**/router/**', '**/supervisor/**', '**/chaos/**', '**/detect/**', '**/watch/**', '**/run.js', '**/run/**'],
  message: 'a renderer only listens: read events and act through Run["controls"] (STYLE.md, "The shape")',
};
const exitOutsideCli = [
  {
    selector: "MemberExpression[object.name='process'][property.name=/^(exit|exitCode|abort)$/]",
    message: 'only src/cli decides how the process exits: return an outcome or an exit code instead',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/fixtures/**', 'examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        clearImmediate: 'readonly',
        AbortController: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        queueMicrotask: 'readonly',
        structuredClone: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: [
      'bench/**',
      'scripts/**',
      'test/**',
      '**/*.test.ts',
      '**/*.test.tsx',
      'eslint.config.js',
      'vitest.config.ts',
    ],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/cli/**', 'src/render/**', 'src/control/**', 'src/**/*.test.ts', 'src/**/*.test.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [renderOrCli, childProcess] }],
      'no-restricted-syntax': ['error', ...exitOutsideCli],
    },
  },
  {
    files: ['src/supervisor/spawn.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [renderOrCli] }] },
  },
  {
    // the renderers and the control socket's server: front ends that listen to events and act through controls
    files: ['src/render/**/*.ts', 'src/render/**/*.tsx', 'src/control/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            routerInternals,
            childProcess,
            { group: ['**/cli/**'], message: 'the CLI picks a renderer, not the other way round' },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...exitOutsideCli],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    ignores: ['src/cli/bin.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [childProcess] }] },
  },
);
