import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Files share one PostgreSQL; each file works in its own database (see test/support/db.ts).
    fileParallelism: true,
  },
});
