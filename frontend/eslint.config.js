// ESLint 9 flat config: typescript-eslint, React hooks, and the import boundaries of the layout
// (frontend/README.md "Layout"): `components/` and `lib/` never import `features/`, and no feature imports
// another. Imports across folders go through the `@/` alias (src/), so the rules below can see them.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

// Two levels up is always another folder's business: say `@/lib/...` instead of `../../lib/...`.
const noDeepRelative = { group: ['../../*'], message: 'Import across folders with the @/ alias.' };

const restrict = (...patterns) => ['error', { patterns: [noDeepRelative, ...patterns] }];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'src/lib/api/schema.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'react-hooks': reactHooks },
    // The classic hook rules. The React Compiler rules of plugin v7 (refs, set-state-in-effect, purity) are
    // not on yet: they flag patterns this code uses on purpose (a ref that survives renders for the in-flight
    // booking, a state reset on a changed prop); adopting them is a separate change.
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': restrict(),
      // `const { [field]: _dropped, ...rest } = errors` drops a key on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/components/**', 'src/lib/**'],
    rules: {
      'no-restricted-imports': restrict({
        group: ['@/features/*', '@/app/*'],
        message: 'Shared code (components/, lib/) never imports a feature or the app shell.',
      }),
    },
  },
  ...features.map((feature) => ({
    files: [`src/features/${feature}/**`],
    rules: {
      'no-restricted-imports': restrict({
        group: ['@/features/*', `!@/features/${feature}`, '@/app/*'],
        message: 'A feature never imports another feature: move what both need to components/ or lib/.',
      }),
    },
  })),
  {
    files: ['scripts/**', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
);
