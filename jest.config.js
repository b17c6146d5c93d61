/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json" }] },
  // Integration tests drive the real Pulumi CLI; they run one file at a time on small machines.
  maxWorkers: 2,
  // Only stops a hung test: waits are for events, and a machine at a quarter of its usual speed
  // still finishes every test well inside it.
  testTimeout: 900_000,
};
