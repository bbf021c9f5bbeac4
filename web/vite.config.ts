import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves web/dist on the same origin as /api and /ws; in development
// Vite proxies those to it so the session cookie and origin checks still apply.
const backend = process.env.ECC_BACKEND ?? 'http://localhost:8000';

export default defineConfig({
  plugins: [react()],
  // One bundle (~130 kB gzipped: React, react-virtuoso, zod schemas) is fine for this app.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/ws': { target: backend, ws: true, changeOrigin: false },
      '/healthz': { target: backend },
    },
  },
});
