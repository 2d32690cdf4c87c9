// ESLint flat config (ESLint 9, typescript-eslint 8). Formatting is Prettier's job: eslint-config-prettier comes last.
// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS_SOURCES = ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'];
const TESTS = ['src/**/*.test.ts', 'test/**/*.ts'];
const JS_FILES = ['scripts/**/*.mjs', '*.config.js', '*.config.mjs'];
const ROOT_TS_CONFIGS = ['*.config.ts'];

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', '.tmp/', 'var/', 'coverage/']),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  // Every linted file.
  js.configs.recommended,

  // TypeScript sources, type-checked against tsconfig.json.
  {
    files: TS_SOURCES,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'all',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // All-type imports are written `import type { X }` (mixed ones may use inline `{ type X }`, which this rule accepts).
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Fastify plugins and handlers, Kysely's migration provider, async iterators and test stubs implement
      // async contracts without awaiting anything; dropping `async` there changes behaviour (a Fastify plugin
      // without `async` must call done()).
      '@typescript-eslint/require-await': 'off',
    },
  },

  // Kysely migrations run against Kysely<any> (the schema they change is not the current one).
  {
    files: ['src/store/migrations.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  // Tests: non-null assertions and untyped JSON bodies are fine there, and so is `r.json() as T`.
  {
    files: TESTS,
    rules: {
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  // Plain JavaScript (scripts/*.mjs, this file): Node globals.
  {
    files: JS_FILES,
    languageOptions: { globals: globals.node },
  },
  // Root TypeScript config files are outside tsconfig.json: the rules that need no type information.
  {
    files: ROOT_TS_CONFIGS,
    extends: [tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
  },

  // DEVELOPERS.md: files are <subject>-<role>.ts; no grab-bag modules.
  {
    files: ['**/{utils,helpers,common}.{ts,mts,cts,js,mjs,cjs}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'Program', message: 'No utils/helpers/common modules: name the file <subject>-<role>.ts (DEVELOPERS.md).' },
      ],
    },
  },

  // Last: turn off every stylistic rule that Prettier owns.
  prettier,
);
