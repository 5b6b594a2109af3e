/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // Absolute asset URLs so deep links like /experts/abc load /assets/... correctly behind S3/CloudFront.
  base: '/',
  // `@/lib/http` = src/lib/http (also in tsconfig.json "paths").
  resolve: { alias: { '@': '/src' } },
  build: {
    target: 'es2022',
    // No source maps: they would ship the sources to every visitor and cost upload and storage (issue 14).
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
