import { defineConfig } from 'vitest/config';

// The bundle lands where Spring Boot serves static resources from the classpath, so the
// hearth-web-ui jar is nothing but the built UI and the server serves it at `/`.
export default defineConfig({
  base: './',
  build: {
    outDir: 'target/classes/static',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:4040' },
  },
  test: {
    include: ['test/**/*.test.ts'],
  },
});
