// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// kebab-case names whose role is a dot suffix (`snippet.builder.ts`, `document.exceptions.ts`), never
// a hyphenated one (`snippet-builder.ts`): one way to name a file, so its role is found by its name.
const ROLES =
  'service|controller|repository|adapter|builder|parser|writer|reader|mapper|exception|exceptions|dto|module|guard|handler|processor|pipe|filter|interceptor|middleware|client|server|scorer|policy|scheduler|interface';
const fileNames = {
  rules: {
    'kebab-role': {
      meta: { type: 'suggestion', schema: [] },
      create(context) {
        const name = context.filename.split('/').pop() ?? '';
        const problems = [];
        if (!/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*\.tsx?$/.test(name)) problems.push('is not kebab-case');
        if (new RegExp(`-(${ROLES})(\\.(spec|int-spec|e2e-spec))?\\.tsx?$`).test(name))
          problems.push('has a hyphenated role: use a dot (`name.role.ts`)');
        return {
          Program(node) {
            for (const p of problems) context.report({ node, message: `File name ${name} ${p}.` });
          },
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'bench/results/**', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['apps/**/*.ts', 'apps/**/*.tsx', 'libs/**/*.ts'],
    plugins: { 'file-names': fileNames },
    rules: { 'file-names/kebab-role': 'error' },
  },
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['apps/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/worker/**', '@recto/*/src/*'],
              message: 'The api app must not import the worker app or lib internals.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/api/**', '@recto/*/src/*'],
              message: 'The worker app must not import the api app or lib internals.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/**', '@recto/*/src/*'],
              message: 'Libs never import apps, nor other libs by internal path.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
