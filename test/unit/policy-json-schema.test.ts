// docs/policy.schema.json is generated from the zod schema; this fails when it is stale.
// Regenerate it with: WRITE_POLICY_SCHEMA=1 npm test -- test/unit/policy-json-schema.test.ts
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { POLICY_SCHEMA_FILE, policyJsonSchema, policyJsonSchemaText } from "../../src/policy/json-schema.js";
import { parsePolicy } from "../../src/policy/schema.js";

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

  const accepts = (policy: unknown): boolean => {
    try {
      parsePolicy(policy, "pulumiscale");
      return true;
    } catch {
      return false;
    }
  };
  const withTarget = (overrides: Record<string, unknown>) => ({ version: 1, targets: { workers: { ...target, ...overrides } } });
  const withRule = (rule: Record<string, unknown>) => ({ version: 1, targets: { workers: target }, rules: [rule] });
  const withSchedule = (schedule: Record<string, unknown>) => withTarget({ schedules: [{ cron: "0 8 * * *", duration: "1h", min: 2, ...schedule }] });

  // Issue 15: policies the schema used to accept although parsePolicy refuses them. Each is
  // checked against both, which must agree.
  it.each<[string, unknown]>([
    ["a match with no criterion", withRule({ match: {}, target: "workers", firing: "+1" })],
    ["a rule with no adjustment", withRule({ match: { name: "HighCPU" }, target: "workers" })],
    ['firing: "lots"', withRule({ match: { name: "HighCPU" }, target: "workers", firing: "lots" })],
    ['a step adjustment "+2x"', withRule({ match: { name: "HighCPU" }, target: "workers", firing: { steps: [{ lower: 0, adjustment: "+2x" }] } })],
    ['a percentage above 10000: "+20000%"', withRule({ match: { name: "HighCPU" }, target: "workers", firing: "+20000%" })],
    ['"=5%"', withRule({ match: { name: "HighCPU" }, target: "workers", firing: "=5%" })],
    ["a schedule with both min and count", withSchedule({ min: 2, count: 3 })],
    ["a schedule with both max and count", withSchedule({ min: undefined, max: 5, count: 3 })],
    ["a schedule that moves no bound", withSchedule({ min: undefined })],
    ['a schedule duration "0s"', withSchedule({ duration: "0s" })],
    ['a schedule duration "59s"', withSchedule({ duration: "59s" })],
    ["a schedule duration of 59 seconds", withSchedule({ duration: 59 })],
    ['a schedule duration "8d"', withSchedule({ duration: "8d" })],
    ['a cooldown of "169h"', withTarget({ cooldown: { scaleOut: "169h" } })],
    ["a cooldown of 604801 seconds", withTarget({ cooldown: { scaleIn: 604_801 } })],
    ["a cron expression of 4 fields", withSchedule({ cron: "0 8 * *" })],
    ["an unknown macro", withSchedule({ cron: "@every5m" })],
    ["a time zone offset", withSchedule({ timezone: "+05:30" })],
    ["a scale-down rate limit of 150%", withTarget({ behavior: { scaleDown: { policies: [{ type: "Percent", value: 150, periodSeconds: 60 }] } } })],
    ["scaleInStabilization beside behavior.scaleDown.stabilizationWindowSeconds", withTarget({ scaleInStabilization: "5m", behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } })],
  ])("refuses %s, as parsePolicy does", (_name, policy) => {
    expect([validate(policy), accepts(policy)]).toEqual([false, false]);
  });

  it.each<[string, unknown]>([
    ['"+0050%" (leading zeros, as parsePolicy reads them)', withRule({ match: { name: "HighCPU" }, target: "workers", firing: "+0050%" })],
    ['" -1 " (surrounding spaces)', withRule({ match: { name: "HighCPU" }, target: "workers", firing: " -1 " })],
    ["a schedule duration of exactly 1m and 7d", withTarget({ schedules: [{ cron: "@daily", duration: "1m", min: 2 }, { cron: "@WEEKLY", duration: "7d", count: 3 }] })],
    ['a schedule duration "0060s"', withSchedule({ duration: "0060s" })],
    ["a cooldown of 0s", withTarget({ cooldown: { scaleOut: "0s", toZero: "5m" } })],
    ["Etc/GMT+5", withSchedule({ timezone: "Etc/GMT+5" })],
    ["a scale-up rate limit of 900%", withTarget({ behavior: { scaleUp: { policies: [{ type: "Percent", value: 900, periodSeconds: 60 }] } } })],
    ["a scale-down limit of 150 pods", withTarget({ max: 200, behavior: { scaleDown: { policies: [{ type: "Pods", value: 150, periodSeconds: 60 }] } } })],
  ])("accepts %s, as parsePolicy does", (_name, policy) => {
    expect([validate(policy), accepts(policy)]).toEqual([true, true]);
  });

  // What JSON Schema cannot say: comparisons between two values of the policy, and names that
  // must refer to another part of it. docs/policy.md lists these; only parsePolicy checks them.
  it.each<[string, unknown]>([
    ["min above max", withTarget({ min: 5, max: 2 })],
    ["a rule naming an unknown target", withRule({ match: { name: "HighCPU" }, target: "wrokers", firing: "+1" })],
    ["a schedule's min above the target's max", withSchedule({ min: 50 })],
    ["a step list with a gap", withRule({ match: { name: "HighCPU" }, target: "workers", firing: { steps: [{ lower: 0, upper: 10, adjustment: "+1" }, { lower: 20, adjustment: "+3" }] } })],
    ["February 31", withSchedule({ cron: "0 0 31 2 *" })],
  ])("leaves %s to parsePolicy", (_name, policy) => {
    expect([validate(policy), accepts(policy)]).toEqual([true, false]);
  });

  it("agrees with parsePolicy on 2,000 random written adjustments and durations", () => {
    const text = fc.tuple(fc.constantFrom("", " "), fc.constantFrom("+", "-", "=", "", "*"), fc.stringMatching(/^\d{1,9}$/), fc.constantFrom("", "%", "x"));
    const duration = fc.tuple(fc.stringMatching(/^\d{1,8}$/), fc.constantFrom("s", "m", "h", "d", "", "w"));
    fc.assert(
      fc.property(text, duration, ([space, sign, digits, suffix], [amount, unit]) => {
        const adjustment = withRule({ match: { name: "HighCPU" }, target: "workers", firing: `${space}${sign}${digits}${suffix}` });
        expect([adjustment, validate(adjustment)]).toEqual([adjustment, accepts(adjustment)]);
        const schedule = withSchedule({ duration: `${amount}${unit}` });
        expect([schedule, validate(schedule)]).toEqual([schedule, accepts(schedule)]);
      }),
      { numRuns: 2_000, seed: 15 },
    );
  });
});
