// Prints the policy the program exports for a stack, as JSON, for `pulumiscale validate`
// (scripts/check-examples-aws.sh compares it with the committed policy.<stack>.json):
//
//   node print-policy.mjs prod > policy.prod.json
//
// The urns are the ones Pulumi gives the program's resources; `current` is left out (the
// deployed count is only known to the stack: give it to validate with --current).
import { bounds, pace, rules } from "./scaling.ts";

const stack = process.argv[2];
if (!Object.hasOwn(bounds, stack ?? "")) {
  console.error(`print-policy: expected a stack (${Object.keys(bounds).join(" or ")}), got ${JSON.stringify(stack)}`);
  process.exit(1);
}
const project = "web";
const urn = (type, name) => `urn:pulumi:${stack}::${project}::${type}::${name}`;
const policy = {
  version: 1,
  targets: {
    web: { urn: urn("aws:ecs/service:Service", "web"), config: "webCount", ...bounds[stack].web, ...pace.web },
    nodes: { urn: urn("aws:eks/nodeGroup:NodeGroup", "nodes"), config: "nodeCount", ...bounds[stack].nodes, ...pace.nodes },
  },
  rules: rules(stack),
};
console.log(JSON.stringify(policy, null, 2));
