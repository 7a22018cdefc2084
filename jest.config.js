/**
 * Jest runs TypeScript ESM through @swc/jest. `test/support/global-setup.ts`
 * starts one throwaway Postgres per run and migrates it; each jest worker then
 * gets its own database cloned from that template (see test/support/).
 */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2023" }, module: { type: "es6" } },
    ],
  },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
  setupFilesAfterEnv: ["<rootDir>/test/support/after-env.ts"],
  testTimeout: 30000,
};
