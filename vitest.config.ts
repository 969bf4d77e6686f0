import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file starts real listeners; they are independent, so files run in parallel workers.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
