import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  plugins: [react()],
  build: {
    // Messenger web views on phones a few years old.
    target: ['es2020', 'chrome87', 'safari14'],
    chunkSizeWarningLimit: 1200,
  },
});
