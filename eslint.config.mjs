/**
 * ESLint (flat config), run by `npm test` through `npm run lint` (`eslint .`).
 *
 * - typescript-eslint's `recommended` everywhere. Not the type-aware presets: they build a TypeScript program per
 *   project on every run, which on 2-core machines costs more than `npm run typecheck` itself, and the type errors
 *   they would find are tsc's to report.
 * - eslint-plugin-react-hooks in renderer/: `rules-of-hooks` and `exhaustive-deps` as errors (the view code relies
 *   on effects re-running when what they read changes; a stale closure there is a lost label). Only these two: the
 *   plugin's React Compiler rules assume the compiler, which this app does not use.
 * - An `eslint-disable` comment must be needed (unused ones are errors) and must say why after ` -- `.
 */
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** `fea/disable-needs-reason`: every eslint-disable comment carries its reason, `// eslint-disable-next-line rule -- why`. */
const disableNeedsReason = {
  meta: { type: 'suggestion', docs: { description: 'eslint-disable comments must give a reason after " -- "' }, schema: [] },
  create(context) {
    return {
      Program() {
        for (const comment of context.sourceCode.getAllComments()) {
          const text = comment.value.trim();
          if (/^eslint-(disable|enable)(-next-line|-line)?(\s|$)/.test(text) && !text.startsWith('eslint-enable') && !/\s--\s+\S/.test(text))
            context.report({ loc: comment.loc, message: 'Say why the rule does not apply here: `eslint-disable… rule -- reason`.' });
        }
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-artifacts/', 'bench/out/', 'coverage/', '.venv/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { fea: { rules: { 'disable-needs-reason': disableNeedsReason } } },
    rules: {
      'fea/disable-needs-reason': 'error',
      // `_name` marks a parameter a signature needs but the body does not (Express finds error handlers by their
      // four parameters); `{ drop, ...rest }` is how the code base leaves fields out of an object.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // bin/ and the config files are plain CommonJS run by Node without a build step: require is how they load code.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // Jest's module registry: a module is required after the environment or mocks it reads are set
      // (process.env before require, jest.isolateModules); an import would be hoisted above them.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Integration tests read the CLI's JSON, exported files and raw rows, and assert their shape field by field:
    // typing each read would restate the contract the assertions check.
    files: ['tests/integration/**/*.ts', 'tests/support/cli.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
