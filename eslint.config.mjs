// @ts-check
import eslint from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

// Dependencies point inward: only src/api/ knows HTTP. The core (services, domain, db,
// activities, workflows, and what they share) throws domain errors and never imports the API,
// not even a type, so it can be reused from a worker, a CLI or another transport.
const NO_API_IMPORTS = {
  regex: '^(\\.\\./)+(src/)?api(/|$)',
  message:
    'The core must not import src/api/: throw a DomainError (src/domain/errors.ts) and take the caller from src/services/caller.ts.',
};
const CORE_FILES = [
  'src/services/**/*.ts',
  'src/domain/**/*.ts',
  'src/db/**/*.ts',
  'src/activities/**/*.ts',
  'src/workflows/**/*.ts',
  'src/shared/**/*.ts',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'web/dist',
      'web/src/api/schema.d.ts',
      '.data',
      '.tools',
      'coverage',
      'test-results',
      'playwright-report',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: CORE_FILES,
    ignores: ['src/workflows/**/*.ts', 'src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_API_IMPORTS] }] },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Workflow code is replayed: it must be deterministic and never touch the outside world.
    // It imports only @temporalio/workflow, `import type` of activities, and src/shared.
    files: ['src/workflows/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules
            .flatMap((name) => [name, `node:${name}`])
            .map((name) => ({
              name,
              message: 'Workflow code must not use Node built-ins: it runs in a deterministic sandbox.',
            })),
          patterns: [
            {
              group: [
                '../activities',
                '../activities/*',
                '../db/*',
                '../api/*',
                '../mail/*',
                '../temporal/*',
                '../config',
              ],
              allowTypeImports: true,
              message: 'Workflows may import only types from activities, and nothing else outside src/shared.',
            },
            NO_API_IMPORTS,
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop from @temporalio/workflow.' },
        { name: 'process', message: 'Workflows have no process: pass values in as arguments.' },
        { name: 'fetch', message: 'I/O belongs in activities.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Use uuid4() or randomness from @temporalio/workflow (it is replay-safe).',
        },
      ],
    },
  },
);
