// Bundles the action into dist/index.js, the file action.yml runs. The output is deterministic
// so CI can rebuild it and compare with the committed copy.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/index.ts"],
  outfile: "dist/index.js",
  bundle: true,
  platform: "node",
  target: "node24",
  format: "esm",
  minify: true,
  legalComments: "linked",
  metafile: true,
  logLevel: "warning",
  alias: { typescript: "./scripts/stubs/typescript.cjs" },
  // CommonJS dependencies (grpc, @pulumi/pulumi) need require, __filename and __dirname in ESM.
  banner: {
    js: [
      'import { createRequire as __pulumiscaleCreateRequire } from "node:module";',
      'import { fileURLToPath as __pulumiscaleFileURLToPath } from "node:url";',
      "const require = __pulumiscaleCreateRequire(import.meta.url);",
      "const __filename = __pulumiscaleFileURLToPath(import.meta.url);",
      'const __dirname = __pulumiscaleFileURLToPath(new URL(".", import.meta.url));',
    ].join("\n"),
  },
});

const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`dist/index.js: ${(bytes / 1024 / 1024).toFixed(2)} MB`);
