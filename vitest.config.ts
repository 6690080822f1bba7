import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // graphql ships CJS and ESM builds; Pothos and yoga load one, Vite would pick the other
    // for project files, and graphql refuses to mix instances. Pin everything to the CJS build.
    alias: { graphql: "graphql/index.js" },
  },
  test: {
    include: ["test/**/*.test.ts", "plugins/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more workers only add contention for Postgres, Redis and PGlite's WASM.
    maxWorkers: 2,
    pool: "forks",
  },
});
