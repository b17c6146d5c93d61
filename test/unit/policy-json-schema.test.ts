// docs/policy.schema.json is generated from the zod schema; this fails when it is stale.
// Regenerate it with: WRITE_POLICY_SCHEMA=1 npm test -- test/unit/policy-json-schema.test.ts
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { POLICY_SCHEMA_FILE, policyJsonSchema, policyJsonSchemaText } from "../../src/policy/json-schema.js";

const file = path.join(process.cwd(), POLICY_SCHEMA_FILE);

describe("docs/policy.schema.json", () => {
  it("matches the zod schema", () => {
    if (process.env["WRITE_POLICY_SCHEMA"] === "1") writeFileSync(file, policyJsonSchemaText());
    const committed = readFileSync(file, "utf8");
    if (committed !== policyJsonSchemaText()) {
      throw new Error(`${POLICY_SCHEMA_FILE} is stale: run WRITE_POLICY_SCHEMA=1 npm test -- test/unit/policy-json-schema.test.ts`);
    }
  });

  const validate = new Ajv2020({ strict: false }).compile(policyJsonSchema());
  const target = { urn: "urn:pulumi:prod::web::pool::workers", config: "workerCount", current: 3, min: 1, max: 20 };

  it.each<[string, boolean, unknown]>([
    ["a minimal policy", true, { version: 1, targets: { workers: target } }],
    [
      "every field",
      true,
      {
        version: 1,
        targets: {
          workers: {
            ...target,
            maxStep: 4,
            maxStepPercent: 50,
            cooldown: { scaleOut: "60s", scaleIn: 300 },
            scaleInStabilization: "10m",
            schedules: [{ name: "business-hours", cron: "0 8 * * MON-FRI", duration: "10h", timezone: "Europe/Berlin", min: 5 }],
            allowReplace: false,
          },
        },
        rules: [
          { match: { name: "HighCPU" }, target: "workers", firing: "+50%", resolved: "-1" },
          { match: { source: "cloudwatch" }, target: "workers", firing: { steps: [{ upper: 10, adjustment: "+1" }, { lower: 10, adjustment: "+3" }] } },
          { match: { name: "Load" }, target: "workers", firing: { targetValue: 60, tolerancePercent: 5 }, valueFrom: "value" },
        ],
      },
    ],
    ["a misspelt target field", false, { version: 1, targets: { workers: { ...target, maxStpe: 2 } } }],
    ["a duration without a unit", false, { version: 1, targets: { workers: { ...target, scaleInStabilization: "10" } } }],
    ["version 2", false, { version: 2, targets: { workers: target } }],
    ["a urn with a wildcard", false, { version: 1, targets: { workers: { ...target, urn: "urn:pulumi:prod::web::pool::*" } } }],
    ["a urn without the urn:pulumi: prefix", false, { version: 1, targets: { workers: { ...target, urn: "workers" } } }],
    ["a schedule name with a line break", false, { version: 1, targets: { workers: { ...target, schedules: [{ name: "a\nb", cron: "0 8 * * *", duration: "1h", min: 2 }] } } }],
  ])("%s: valid is %s", (_name, valid, policy) => {
    expect(validate(policy)).toBe(valid);
  });
});
