import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

// `npm run dev` proxies the IRC WebSocket and the API to a running server
// (SALON_HTTP=127.0.0.1:8080 by default, i.e. `make run`).
const target = process.env.SALON_HTTP ?? '127.0.0.1:8080';

export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': { target: `http://${target}` },
      '/irc': { target: `ws://${target}`, ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
