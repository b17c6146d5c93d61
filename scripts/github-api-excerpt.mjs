#!/usr/bin/env node
// Regenerates test/support/github-api.excerpt.json: the operations of GitHub's published OpenAPI
// description (npm @octokit/openapi, file generated/api.github.com.json) that the GitHub stand-in
// validates requests against, with every component they reference. The tests read the excerpt,
// so no machine installs the whole description (≈ 385 MB) to run them.
//
//   node scripts/github-api-excerpt.mjs            # fetches @octokit/openapi@VERSION with npm pack
//   node scripts/github-api-excerpt.mjs file.json  # or reads a copy of api.github.com.json
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const PACKAGE = "@octokit/openapi";
const VERSION = "23.0.2";
const OPERATIONS = ["repos/create-dispatch-event", "apps/get-repo-installation", "apps/create-installation-access-token"];
const output = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "test", "support", "github-api.excerpt.json");

function loadSpec(file) {
  if (file) return JSON.parse(readFileSync(file, "utf8"));
  const dir = mkdtempSync(path.join(tmpdir(), "github-openapi-"));
  try {
    const tarball = execFileSync("npm", ["pack", "--silent", `${PACKAGE}@${VERSION}`], { cwd: dir, encoding: "utf8" }).trim();
    execFileSync("tar", ["-xzf", tarball, "package/generated/api.github.com.json"], { cwd: dir });
    return JSON.parse(readFileSync(path.join(dir, "package/generated/api.github.com.json"), "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every local `$ref` reachable from `node`, followed transitively through the spec. */
function collectRefs(spec, node, seen = new Set()) {
  if (Array.isArray(node)) node.forEach((item) => collectRefs(spec, item, seen));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#/") && !seen.has(value)) {
        seen.add(value);
        collectRefs(spec, resolve(spec, value), seen);
      } else collectRefs(spec, value, seen);
    }
  }
  return seen;
}

function resolve(spec, ref) {
  return ref.slice(2).split("/").map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~")).reduce((node, part) => node[part], spec);
}

const spec = loadSpec(process.argv[2]);
const paths = {};
for (const [template, item] of Object.entries(spec.paths)) {
  for (const [method, operation] of Object.entries(item)) {
    if (!OPERATIONS.includes(operation.operationId)) continue;
    paths[template] ??= {};
    paths[template][method] = operation;
  }
}
const found = Object.values(paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId));
const missing = OPERATIONS.filter((id) => !found.includes(id));
if (missing.length > 0) throw new Error(`${PACKAGE}@${VERSION} has no operation ${missing.join(", ")}`);

const excerpt = { openapi: spec.openapi, info: { ...spec.info }, paths, components: {} };
for (const ref of [...collectRefs(spec, paths)].sort()) {
  const [, section, kind, name] = ref.split("/");
  if (section !== "components") throw new Error(`unexpected reference ${ref}`);
  excerpt.components[kind] ??= {};
  excerpt.components[kind][name.replace(/~1/g, "/").replace(/~0/g, "~")] = resolve(spec, ref);
}
excerpt["x-excerpt"] = {
  source: `npm ${PACKAGE}@${VERSION}, generated/api.github.com.json`,
  operations: OPERATIONS,
  regenerate: "node scripts/github-api-excerpt.mjs",
};
writeFileSync(output, `${JSON.stringify(excerpt, null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), output)}: ${found.length} operations, ${collectRefs(spec, paths).size} components`);
