import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves web/dist on the same origin as /api and /ws; in development
// Vite proxies those to it so the session cookie and origin checks still apply.
const backend = process.env.ECC_BACKEND ?? 'http://localhost:8000';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/ws': { target: backend, ws: true, changeOrigin: false },
      '/healthz': { target: backend },
    },
  },
});
