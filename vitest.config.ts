import { defineConfig } from "vitest/config";

// End-to-end tests start real server processes (and Chromium); two cores means two files at a time.
export default defineConfig({
  test: {
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", "./vitest.summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          include: ["packages/*/src/**/*.test.ts", "bench/**/*.test.ts", "packages/web/e2e/**/*.test.ts"],
          exclude: ["**/node_modules/**", "packages/web/src/**"],
        },
      },
      {
        // the web UI's logic and components, in a simulated browser
        extends: true,
        test: {
          name: "web",
          include: ["packages/web/src/**/*.test.{ts,tsx}"],
          environment: "happy-dom",
        },
      },
    ],
  },
});
