// Bundles the action into dist/index.js, the file action.yml runs, and the offline policy
// checker into dist/validate.js (`npx pulumiscale validate`, package.json `bin`).
import { chmodSync } from "node:fs";
import { bundle, outdirFromArgs } from "./bundle.mjs";

const outdir = outdirFromArgs("dist");

// CommonJS dependencies (@actions/core's HTTP client, yaml) require Node.js built-ins, which an
// ESM bundle must provide.
const provideRequire = [
  'import { createRequire as __pulumiscaleCreateRequire } from "node:module";',
  "const require = __pulumiscaleCreateRequire(import.meta.url);",
];

await bundle({
  entryPoints: ["src/index.ts"],
  outfile: `${outdir}/index.js`,
  banner: { js: provideRequire.join("\n") },
});

await bundle({
  entryPoints: ["src/validate.ts"],
  outfile: `${outdir}/validate.js`,
  // Run directly as a `bin`: npm links it without a `node` in front.
  banner: { js: ["#!/usr/bin/env node", ...provideRequire].join("\n") },
});
chmodSync(`${outdir}/validate.js`, 0o755);
