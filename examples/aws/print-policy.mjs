// Prints the policy the program exports for a stack, as JSON, for `pulumiscale validate`
// (scripts/check-examples-aws.sh compares it with the committed policy.<stack>.json):
//
//   node print-policy.mjs prod > policy.prod.json
//
// The urns are the ones Pulumi gives the program's resources, and `current` is the count in the
// stack's config file: what the stack exports right after `pulumi up` of the committed config
// (replay other counts with validate's --current).
import { readFileSync } from "node:fs";
import process from "node:process";
import { URL } from "node:url";
import { bounds, pace, rules } from "./scaling.ts";

const stack = process.argv[2];
if (!Object.hasOwn(bounds, stack ?? "")) {
  process.stderr.write(`print-policy: expected a stack (${Object.keys(bounds).join(" or ")}), got ${JSON.stringify(stack)}\n`);
  process.exit(1);
}
const project = "web";
/** A count in Pulumi.<stack>.yaml, written by Pulumi as `  web:key: "N"`. */
function configuredCount(key) {
  const text = readFileSync(new URL(`Pulumi.${stack}.yaml`, import.meta.url), "utf8");
  const match = new RegExp(`^\\s+${project}:${key}:\\s*"?(\\d+)"?`, "m").exec(text);
  if (!match) throw new Error(`Pulumi.${stack}.yaml: expected a count under ${project}:${key}`);
  return Number(match[1]);
}
const urn = (type, name) => `urn:pulumi:${stack}::${project}::${type}::${name}`;
const policy = {
  version: 1,
  targets: {
    web: { urn: urn("aws:ecs/service:Service", "web"), config: "webCount", current: configuredCount("webCount"), ...bounds[stack].web, ...pace.web },
    nodes: { urn: urn("aws:eks/nodeGroup:NodeGroup", "nodes"), config: "nodeCount", current: configuredCount("nodeCount"), ...bounds[stack].nodes, ...pace.nodes },
  },
  rules: rules(stack),
};
process.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
