import { defineProject } from 'vitest/config';

// Browser tests: real server (startTestServer), the built app, Debian's Chromium.
// One file at a time: each starts its own server and browser on a 2-core machine.
export default defineProject({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['./e2e/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
