// Bundles the action into dist/index.js, the file action.yml runs.
import { bundle, outdirFromArgs } from "./bundle.mjs";

await bundle({
  entryPoints: ["src/index.ts"],
  outfile: `${outdirFromArgs("dist")}/index.js`,
  // @actions/core's HTTP client (tunnel) is CommonJS and requires Node.js built-ins, which an
  // ESM bundle must provide.
  banner: {
    js: [
      'import { createRequire as __pulumiscaleCreateRequire } from "node:module";',
      "const require = __pulumiscaleCreateRequire(import.meta.url);",
    ].join("\n"),
  },
});
