import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Modules that reach outside the process. The adapters, the policy and the engine are pure:
// they may import none of these, so they stay testable without fakes and safe to share with the relay.
const ioModules = [
  "fs", "node:fs", "fs/promises", "node:fs/promises", "child_process", "node:child_process",
  "net", "node:net", "http", "node:http", "https", "node:https", "dgram", "node:dgram",
  "os", "node:os", "process", "node:process", "@actions/core", "@actions/github", "@pulumi/pulumi",
];

export default tseslint.config(
  // relay/pulumi/build/ is that component's compiled output (CommonJS), like dist/.
  { ignores: ["dist/", "node_modules/", "coverage/", ".cache/", "test/fixtures/", "relay/pulumi/build/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/adapters/**/*.ts", "src/engine/**/*.ts", "src/policy/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ioModules.map((name) => ({ name, message: "adapters, policy and engine are pure: no I/O imports" })),
          patterns: [{ group: ["@pulumi/*", "@actions/*"], message: "adapters, policy and engine are pure: no I/O imports" }],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "adapters, policy and engine are pure: pass what you need in" },
        { name: "fetch", message: "adapters, policy and engine are pure: no I/O" },
      ],
    },
  },
  {
    files: ["scripts/**/*.{js,mjs,cjs}", "*.js"],
    languageOptions: { globals: { console: "readonly", process: "readonly", module: "writable", require: "readonly", URL: "readonly" } },
  },
);
