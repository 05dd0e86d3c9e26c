// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // examples/ are apps over the packed package: test/integration/package-install.test.ts compiles them.
  { ignores: ['dist/', 'cdk.out/', 'node_modules/', '.tessera/', '.venv/', 'coverage/', 'examples/', 'reports/', '.stryker-tmp/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
      // Our code uses no deprecated API: the deprecation warnings CDK would print at run time (which
      // bin/local/node-warnings.ts quiets) then come from third-party code only.
      '@typescript-eslint/no-deprecated': 'error',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
