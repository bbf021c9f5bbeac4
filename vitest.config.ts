import { defineConfig } from 'vitest/config';

// One run covers every workspace: unit tests live beside the code
// (`*.test.ts`), integration tests under each package's `test/`.
export default defineConfig({
  test: {
    projects: ['*/vitest*.config.ts'],
  },
});
