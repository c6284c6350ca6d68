import { defineConfig } from 'vitest/config'

// Unit tests cover the pure modules only (no DOM, no Monaco), so they run in plain Node.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
})
