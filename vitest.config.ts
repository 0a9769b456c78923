import { defineConfig } from "vitest/config";

// End-to-end tests start real server processes; two cores means two files at a time.
export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "bench/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", "./vitest.summary-reporter.ts"],
  },
});
