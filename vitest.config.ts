import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "plugins/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more workers only add contention for Postgres, Redis and PGlite's WASM.
    maxWorkers: 2,
    pool: "forks",
  },
});
