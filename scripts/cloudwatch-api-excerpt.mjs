#!/usr/bin/env node
// Regenerates test/support/cloudwatch-api.excerpt.json: CloudWatch's DescribeAlarms operation as
// AWS publishes it (npm aws-sdk v2, file apis/monitoring-2010-08-01.min.json), with every shape
// it references written in place. The CloudWatch stand-in checks requests and answers against it,
// so no machine installs the SDK (≈ 90 MB) to run the tests.
//
//   node scripts/cloudwatch-api-excerpt.mjs            # fetches aws-sdk@VERSION with npm pack
//   node scripts/cloudwatch-api-excerpt.mjs file.json  # or reads a copy of the model
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const PACKAGE = "aws-sdk";
const VERSION = "2.1693.0";
const MODEL = "package/apis/monitoring-2010-08-01.min.json";
const OPERATION = "DescribeAlarms";
const output = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "test", "support", "cloudwatch-api.excerpt.json");

function loadModel(file) {
  if (file) return JSON.parse(readFileSync(file, "utf8"));
  const dir = mkdtempSync(path.join(tmpdir(), "cloudwatch-model-"));
  try {
    const tarball = execFileSync("npm", ["pack", "--silent", `${PACKAGE}@${VERSION}`], { cwd: dir, encoding: "utf8" }).trim();
    execFileSync("tar", ["-xzf", tarball, MODEL], { cwd: dir });
    return JSON.parse(readFileSync(path.join(dir, MODEL), "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The shape with every `{ "shape": "S…" }` reference replaced by what it names. */
function inline(shape, shapes) {
  if (Array.isArray(shape)) return shape.map((item) => inline(item, shapes));
  if (typeof shape !== "object" || shape === null) return shape;
  const { shape: ref, ...rest } = shape;
  const resolved = ref === undefined ? rest : { ...shapes[ref], ...rest };
  return Object.fromEntries(Object.entries(resolved).map(([key, value]) => [key, inline(value, shapes)]));
}

const model = loadModel(process.argv[2]);
const operation = model.operations[OPERATION];
const excerpt = {
  source: `npm ${PACKAGE}@${VERSION}, ${MODEL.replace("package/", "")}`,
  metadata: model.metadata,
  operation: OPERATION,
  input: inline(operation.input, model.shapes),
  output: inline(operation.output, model.shapes),
};
writeFileSync(output, `${JSON.stringify(excerpt, null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), output)}`);
