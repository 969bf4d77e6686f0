import { defineConfig } from 'vite';

/**
 * The dashboard is a static site: `vite build` writes examples/dashboard/dist/, which any static host
 * serves. Relative asset URLs, so it also works from a sub-path. Its gateway is chosen at run time
 * (`?gateway=`) or at build time (VITE_GATEWAY_URL), see src/settings.ts.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  server: { port: 5173, strictPort: true },
  build: { outDir: 'dist', emptyOutDir: true },
});
