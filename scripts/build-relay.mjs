// Bundles the alert relay into dist/relay/: server.mjs (`node dist/relay/server.mjs`) and
// lambda.mjs (Lambda handler `lambda.handler`). Each file is self-contained: no node_modules
// needed at run time. The output is deterministic so CI can rebuild it and compare.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// `--outdir DIR` builds elsewhere, so scripts/check-dist.sh can compare with the committed bundle.
const outdirFlag = process.argv.indexOf("--outdir");
const outdir = outdirFlag === -1 ? "dist/relay" : process.argv[outdirFlag + 1];

const result = await build({
  absWorkingDir: root,
  entryPoints: { server: "src/relay/server-main.ts", lambda: "src/relay/lambda.ts" },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: false,
  platform: "node",
  target: "node24",
  format: "esm",
  minify: true,
  legalComments: "linked",
  metafile: true,
  logLevel: "warning",
});

for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (file.endsWith(".mjs")) console.log(`${file}: ${(output.bytes / 1024).toFixed(0)} KB`);
}
