// Bundles the alert relay into dist/relay/: server.mjs (`node dist/relay/server.mjs`) and
// lambda.mjs (Lambda handler `lambda.handler`). Each file is self-contained: no node_modules
// needed at run time.
import { bundle, outdirFromArgs } from "./bundle.mjs";

await bundle({
  entryPoints: { server: "src/relay/server-main.ts", lambda: "src/relay/lambda.ts" },
  outdir: outdirFromArgs("dist/relay"),
  outExtension: { ".js": ".mjs" },
  splitting: false,
});
