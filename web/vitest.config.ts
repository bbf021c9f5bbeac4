import { defineProject } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Unit and component tests of the web app (jsdom). Browser tests are the 'e2e' project.
export default defineProject({
  plugins: [react()],
  test: {
    name: 'web',
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
  },
});
