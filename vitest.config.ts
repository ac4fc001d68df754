import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // OCR tests run real tesseract.js workers on 2 cores: give them room.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    restoreMocks: true,
  },
});
