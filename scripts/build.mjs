// Bundles the action into dist/index.js, the file action.yml runs. The output is deterministic
// so CI can rebuild it and compare with the committed copy.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// `--outdir DIR` builds elsewhere, so scripts/check-dist.sh can compare with the committed bundle.
const outdirFlag = process.argv.indexOf("--outdir");
const outdir = outdirFlag === -1 ? "dist" : process.argv[outdirFlag + 1];

const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/index.ts"],
  outfile: `${outdir}/index.js`,
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
console.log(`${outdir}/index.js: ${(bytes / 1024 / 1024).toFixed(2)} MB`);
