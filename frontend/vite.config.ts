/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const EARLY = 'src/early.ts';

/**
 * `src/early.ts` is an entry of its own, listed in index.html before the app's bundle, so it runs as soon as
 * its few hundred bytes arrive and starts the page's data requests while the bundle downloads (issue 14).
 * A second <script> in index.html would not do: Vite folds every module script of a page into one bundle.
 */
function earlyScript(): Plugin {
  return {
    name: 'early-script',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle }) {
        const chunk = bundle && Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry && c.name === 'early');
        const src = chunk ? `/${chunk.fileName}` : `/${EARLY}`; // the dev server serves the source
        // Right after config.js (it needs the API's URL) and before the app: deferred scripts run in order.
        const config = '<script src="/config.js" defer></script>';
        if (!html.includes(config)) throw new Error(`index.html must load ${config}`);
        return html.replace(config, `${config}\n    <script type="module" crossorigin src="${src}"></script>`);
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), earlyScript()],
  // Absolute asset URLs so deep links like /experts/abc load /assets/... correctly behind S3/CloudFront.
  base: '/',
  // `@/lib/http` = src/lib/http (also in tsconfig.json "paths").
  resolve: { alias: { '@': '/src' } },
  build: {
    target: 'es2022',
    // No source maps: they would ship the sources to every visitor and cost upload and storage (issue 14).
    sourcemap: false,
    rolldownOptions: { input: { index: 'index.html', early: EARLY } },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
