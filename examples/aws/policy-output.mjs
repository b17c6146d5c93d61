// Runs the program under Pulumi's unit-test mocks (no AWS, no Pulumi Cloud) and prints the
// scaling policy it exports for a stack, as JSON: the urns Pulumi gives its resources, the
// counts from Pulumi.<stack>.yaml as `current`, the bounds and rules from scaling.ts. This is
// what the action reads from the deployed stack, so `pulumiscale validate` can check it before
// anything is deployed:
//
//   npx tsc --outDir node_modules/.cache/build && node policy-output.mjs prod > policy.prod.json
//
// scripts/check-examples-aws.sh compares the output with the committed policy.<stack>.json.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import process from "node:process";
import { URL } from "node:url";

const require = createRequire(import.meta.url);
// The program's own @pulumi/pulumi: the mocks must be set on the instance the program uses.
const pulumi = require("@pulumi/pulumi");
const yaml = require("js-yaml");

const [stack, program = "./node_modules/.cache/build/examples/aws/index.js"] = process.argv.slice(2);
if (!stack) {
  process.stderr.write("policy-output: expected a stack name (prod or staging) and, optionally, the compiled index.js\n");
  process.exit(1);
}

// Every resource's outputs are its inputs, as after a create; invokes echo their arguments.
await pulumi.runtime.setMocks(
  {
    newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, name: args.inputs.name ?? `${args.name}-${stack}` } }),
    call: (args) => args.inputs,
  },
  "web",
  stack,
  false,
);
const settings = yaml.load(readFileSync(new URL(`Pulumi.${stack}.yaml`, import.meta.url), "utf8"));
// Config values reach a program as strings (objects and lists as JSON), as Pulumi passes them.
const config = Object.fromEntries(
  Object.entries(settings.config ?? {}).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
);
pulumi.runtime.setAllConfig(config);

const exported = require(new URL(program, import.meta.url).pathname);
const policy = await new Promise((resolve) => pulumi.output(exported.pulumiscale).apply(resolve));
process.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
