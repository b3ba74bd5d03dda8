import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API the dev server forwards to (`npm start` in another terminal): KEYWARD_API_URL or the default port.
const api = process.env.KEYWARD_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  // apps/web/public holds the placeholder the server shows when there is no build; the build is self-contained.
  publicDir: false,
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 900 },
  server: { port: 5173, proxy: { '/v1': { target: api, changeOrigin: false } } },
});
