// The policy fields that pace and shape scaling: what they read into, and how a mistake is named.
import { parsePayload } from "../../src/adapters/registry.js";
import { resolveSignals } from "../../src/engine/resolve.js";
import { InputError } from "../../src/errors.js";
import { parsePolicy } from "../../src/policy/schema.js";
import { eventBridgeAlarm } from "./payloads.js";

const target = { urn: "urn:pulumi:dev::fleet::pool::workers", config: "workerCount", current: 3, min: 1, max: 10 };
const withTarget = (fields: Record<string, unknown>) => ({ version: 1, targets: { workers: { ...target, ...fields } } });
const withRule = (rule: Record<string, unknown>) => ({ ...withTarget({}), rules: [{ match: { name: "HighCPU" }, target: "workers", ...rule }] });

describe("parsePolicy reads the engine's fields", () => {
  it.each<[string, unknown, Record<string, unknown>]>([
    ["durations as text and seconds", withTarget({ cooldown: { scaleOut: "90s", scaleIn: 300 }, scaleInStabilization: "1h" }), { cooldown: { scaleOut: 90, scaleIn: 300 }, scaleInStabilization: 3600 }],
    ["days", withTarget({ scaleInStabilization: "1d" }), { scaleInStabilization: 86400 }],
    ["a schedule with its default time zone", withTarget({ schedules: [{ cron: "0 8 * * 1-5", duration: "10h", min: 4 }] }), { schedules: [{ cron: "0 8 * * 1-5", duration: 36000, timezone: "UTC", min: 4 }] }],
    ["a percentage step limit", withTarget({ maxStepPercent: 12.5 }), { maxStepPercent: 12.5 }],
  ])("%s", (_name, value, expected) => {
    expect(parsePolicy(value, "pulumiscale").targets["workers"]).toMatchObject(expected);
  });

  it.each<[string, unknown, unknown]>([
    ["a percentage", "+50%", { type: "percent", percent: 50 }],
    ["steps", { steps: [{ upper: 0, adjustment: "-1" }, { lower: 0, upper: 10, adjustment: "+1" }, { lower: 10, adjustment: "+50%" }] }, {
      type: "steps",
      steps: [
        { upper: 0, adjustment: { type: "change", by: -1 } },
        { lower: 0, upper: 10, adjustment: { type: "change", by: 1 } },
        { lower: 10, adjustment: { type: "percent", percent: 50 } },
      ],
    }],
    ["a single open step", { steps: [{ adjustment: "+1" }] }, { type: "steps", steps: [{ adjustment: { type: "change", by: 1 } }] }],
    ["target tracking with the default tolerance", { targetValue: 60 }, { type: "track", targetValue: 60, tolerancePercent: 10 }],
  ])("a rule adjustment: %s", (_name, firing, expected) => {
    expect(parsePolicy(withRule({ firing }), "pulumiscale").rules![0]!.firing).toEqual(expected);
  });
});

describe("parsePolicy names the path, quotes the value and says what was expected", () => {
  it.each<[string, unknown, string]>([
    ["a misspelt target field", withTarget({ maxStpe: 2 }), 'policy pulumiscale.targets.workers: expected only urn, config, current, min, max, maxStep, maxStepPercent, cooldown, scaleInStabilization, schedules, allowReplace (found "maxStpe")'],
    ["a duration without a unit", withTarget({ scaleInStabilization: "10" }), 'policy pulumiscale.targets.workers.scaleInStabilization: expected a duration such as 90s, 5m, 2h or 1d, or a number of seconds, got "10"'],
    ["a duration of more than a week", withTarget({ cooldown: { scaleIn: "8d" } }), 'policy pulumiscale.targets.workers.cooldown.scaleIn: expected a duration such as 90s, 5m, 2h or 1d, or a number of seconds, from 0s to 7d, got "8d"'],
    ["a negative duration", withTarget({ cooldown: { scaleOut: -5 } }), "policy pulumiscale.targets.workers.cooldown.scaleOut: expected a number at least 0, got -5"],
    ["a cooldown direction that does not exist", withTarget({ cooldown: { up: "1m" } }), 'policy pulumiscale.targets.workers.cooldown: expected only scaleOut, scaleIn (found "up")'],
    ["a zero percentage step limit", withTarget({ maxStepPercent: 0 }), "policy pulumiscale.targets.workers.maxStepPercent: expected a number greater than 0, got 0"],
    ["a bad cron field", withTarget({ schedules: [{ cron: "0 25 * * *", duration: "1h", min: 2 }] }), 'policy pulumiscale.targets.workers.schedules.0.cron: expected a cron expression of 5 fields (minute hour day-of-month month day-of-week), such as "0 8 * * MON-FRI" (hour field "25": 25 is outside 0-23), got "0 25 * * *"'],
    ["an unknown time zone", withTarget({ schedules: [{ cron: "0 8 * * *", duration: "1h", min: 2, timezone: "Europe/Bonn" }] }), 'policy pulumiscale.targets.workers.schedules.0.timezone: expected an IANA time zone such as Europe/Berlin, America/New_York or UTC, got "Europe/Bonn"'],
    ["a window shorter than a minute", withTarget({ schedules: [{ cron: "0 8 * * *", duration: "30s", min: 2 }] }), "policy pulumiscale.targets.workers.schedules.0.duration: expected a duration such as 90s, 5m, 2h or 1d, or a number of seconds, from 60s to 7d"],
    ["a schedule that sets nothing", withTarget({ schedules: [{ cron: "0 8 * * *", duration: "1h" }] }), "policy pulumiscale.targets.workers.schedules.0.min: expected at least one of min, max or count, got nothing"],
    ["a count with a min", withTarget({ schedules: [{ cron: "0 8 * * *", duration: "1h", count: 3, min: 2 }] }), "policy pulumiscale.targets.workers.schedules.0.count: expected no count when min or max is given (count sets both), got 3"],
    ["a schedule floor above the target's max", withTarget({ schedules: [{ cron: "0 8 * * *", duration: "1h", min: 50 }] }), "policy pulumiscale.targets.workers.schedules.0.min: expected a count from 1 to 10 (the target's min and max), got 50"],
    ["a schedule min above its max", withTarget({ schedules: [{ cron: "0 8 * * *", duration: "1h", min: 5, max: 4 }] }), "policy pulumiscale.targets.workers.schedules.0.min: expected a number no greater than max, got 5"],
    ["a rule adjustment that is neither form", withRule({ firing: 2 }), 'policy pulumiscale.rules.0.firing: expected "+N" (add N), "-N" (remove N), "+N%" or "-N%" (add or remove N percent) or "=N" (set to N), { steps: [...] } or { targetValue: N }, got 2'],
    ["an empty object", withRule({ firing: {} }), "policy pulumiscale.rules.0.firing: expected"],
    ["a bad step adjustment", withRule({ firing: { steps: [{ lower: 0, adjustment: "x" }] } }), 'policy pulumiscale.rules.0.firing.steps.0.adjustment: expected "+N" (add N)'],
    ["no steps", withRule({ firing: { steps: [] } }), "policy pulumiscale.rules.0.firing.steps: expected a list of at least 1 items, got []"],
    ["an empty step interval", withRule({ firing: { steps: [{ lower: 5, upper: 5, adjustment: "+1" }] } }), "policy pulumiscale.rules.0.firing.steps.0.upper: expected a number greater than lower (5): an interval may not be empty, got 5"],
    ["a gap between steps", withRule({ firing: { steps: [{ lower: 0, upper: 10, adjustment: "+1" }, { lower: 20, adjustment: "+2" }] } }), "policy pulumiscale.rules.0.firing.steps.1.lower: expected 10, the upper bound of the step before: steps are contiguous, in ascending order, and do not overlap, got 20"],
    ["overlapping steps", withRule({ firing: { steps: [{ lower: 0, upper: 10, adjustment: "+1" }, { lower: 5, adjustment: "+2" }] } }), "policy pulumiscale.rules.0.firing.steps.1.lower: expected 10, the upper bound"],
    ["a middle step open below", withRule({ firing: { steps: [{ upper: 0, adjustment: "-1" }, { upper: 10, adjustment: "+1" }] } }), "policy pulumiscale.rules.0.firing.steps.1.lower: expected a lower bound: only the first step may be unbounded below"],
    ["a first step open above", withRule({ firing: { steps: [{ lower: 0, adjustment: "+1" }, { lower: 10, adjustment: "+2" }] } }), "policy pulumiscale.rules.0.firing.steps.0.upper: expected an upper bound: only the last step may be unbounded above"],
    ["a target value of zero", withRule({ firing: { targetValue: 0 } }), "policy pulumiscale.rules.0.firing.targetValue: expected a number greater than 0, got 0"],
    ["a misspelt tracking key", withRule({ firing: { targetValue: 60, tolerance: 5 } }), 'policy pulumiscale.rules.0.firing: expected only targetValue, tolerancePercent (found "tolerance")'],
    ["a threshold that is not a number", withRule({ firing: "+1", threshold: "80" }), 'policy pulumiscale.rules.0.threshold: expected number, got "80"'],
    ["an unknown top-level key", { ...withTarget({}), rule: [] }, 'policy pulumiscale: expected only version, targets, rules (found "rule")'],
  ])("%s", (_name, value, message) => {
    const read = () => parsePolicy(value, "pulumiscale");
    expect(read).toThrow(InputError);
    expect(read).toThrow(message);
  });
});

describe("rules whose adjustment needs the metric", () => {
  const alarm = (withValue: boolean) => {
    const event = eventBridgeAlarm() as { detail: { alarmName: string; state: Record<string, unknown> } };
    event.detail.alarmName = "HighCPU";
    if (!withValue) delete event.detail.state["reasonData"];
    return parsePayload({ source: "cloudwatch", eventbridge: event }, "client_payload");
  };
  const steps = { steps: [{ upper: 10, adjustment: "+1" }, { lower: 10, adjustment: "+3" }] };

  it("resolve with the alarm's value and threshold", () => {
    const policy = parsePolicy(withRule({ firing: steps }), "pulumiscale");
    const { resolved, skipped } = resolveSignals(policy, alarm(true));
    expect(skipped).toEqual([]);
    expect(resolved[0]!.alert).toMatchObject({ value: expect.any(Number), threshold: expect.any(Number) });
  });

  it("take the rule's threshold over the alarm's", () => {
    const policy = parsePolicy(withRule({ firing: steps, threshold: 1 }), "pulumiscale");
    expect(resolveSignals(policy, alarm(true)).resolved[0]!.alert!.threshold).toBe(1);
  });

  it("are skipped, saying what is missing, when the alert has no value", () => {
    const policy = parsePolicy(withRule({ firing: { targetValue: 50 } }), "pulumiscale");
    const { resolved, skipped } = resolveSignals(policy, alarm(false));
    expect(resolved).toEqual([]);
    expect(skipped.map((s) => s.why)).toEqual([
      "rules[0] gives track 50 ±10%, which needs the metric value: the alert carries none (give the rule valueFrom)",
    ]);
  });
});
