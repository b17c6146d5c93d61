// Shared esbuild settings for the two bundles (the action and the relay): self-contained ESM for
// Node.js 24, minified, licences in a linked file, deterministic so CI can rebuild and compare.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));

/** `--outdir DIR` builds elsewhere, so scripts/check-dist.sh can compare with the committed bundle. */
export function outdirFromArgs(fallback) {
  const flag = process.argv.indexOf("--outdir");
  return flag === -1 ? fallback : process.argv[flag + 1];
}

/** Bundles `options` (entry points and output) and prints the size of each JavaScript output. */
export async function bundle(options) {
  const result = await build({
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    target: "node24",
    format: "esm",
    minify: true,
    legalComments: "linked",
    metafile: true,
    logLevel: "warning",
    ...options,
  });
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (/\.m?js$/.test(file)) console.log(`${file}: ${(output.bytes / 1024).toFixed(0)} KB`);
  }
}
