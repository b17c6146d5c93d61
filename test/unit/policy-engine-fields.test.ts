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
    ["a single step open above", { steps: [{ lower: 0, adjustment: "+1" }] }, { type: "steps", steps: [{ lower: 0, adjustment: { type: "change", by: 1 } }] }],
    [
      "steps with a least magnitude (AWS MinAdjustmentMagnitude)",
      { steps: [{ lower: 0, adjustment: "+25%" }], minAdjustmentMagnitude: 2 },
      { type: "steps", steps: [{ lower: 0, adjustment: { type: "percent", percent: 25, minMagnitude: 2 } }] },
    ],
    ["a written percentage with a least magnitude", { adjustment: "+25%", minAdjustmentMagnitude: 2 }, { type: "percent", percent: 25, minMagnitude: 2 }],
    ["target tracking with an activation threshold (KEDA)", { targetValue: 60, activationThreshold: 5 }, { type: "track", targetValue: 60, tolerancePercent: 10, activationThreshold: 5 }],
    ["target tracking with the default tolerance", { targetValue: 60 }, { type: "track", targetValue: 60, tolerancePercent: 10 }],
  ])("a rule adjustment: %s", (_name, firing, expected) => {
    expect(parsePolicy(withRule({ firing }), "pulumiscale").rules![0]!.firing).toEqual(expected);
  });
});

describe("parsePolicy names the path, quotes the value and says what was expected", () => {
  it.each<[string, unknown, string]>([
    ["a misspelt target field", withTarget({ maxStpe: 2 }), 'policy pulumiscale.targets.workers: expected only urn, config, current, min, max, maxStep, maxStepPercent, cooldown, scaleInStabilization, behavior, schedules, allowReplace (found "maxStpe")'],
    ["a duration without a unit", withTarget({ scaleInStabilization: "10" }), 'policy pulumiscale.targets.workers.scaleInStabilization: expected a duration such as 90s, 5m, 2h or 1d, or a number of seconds, got "10"'],
    ["a duration of more than a week", withTarget({ cooldown: { scaleIn: "8d" } }), 'policy pulumiscale.targets.workers.cooldown.scaleIn: expected a duration such as 90s, 5m, 2h or 1d, or a number of seconds, from 0s to 7d, got "8d"'],
    ["a negative duration", withTarget({ cooldown: { scaleOut: -5 } }), "policy pulumiscale.targets.workers.cooldown.scaleOut: expected a number at least 0, got -5"],
    ["a cooldown direction that does not exist", withTarget({ cooldown: { up: "1m" } }), 'policy pulumiscale.targets.workers.cooldown: expected only scaleOut, scaleIn, toZero (found "up")'],
    ["a zero percentage step limit", withTarget({ maxStepPercent: 0 }), "policy pulumiscale.targets.workers.maxStepPercent: expected a number greater than 0, got 0"],
    ["a bad cron field", withTarget({ schedules: [{ cron: "0 25 * * *", duration: "1h", min: 2 }] }), 'policy pulumiscale.targets.workers.schedules.0.cron: expected a cron expression of 5 fields (minute hour day-of-month month day-of-week), such as "0 8 * * MON-FRI", or one of @hourly, @daily, @weekly, @monthly, @yearly (hour field "25": 25 is outside 0-23), got "0 25 * * *"'],
    ["an unknown time zone", withTarget({ schedules: [{ cron: "0 8 * * *", duration: "1h", min: 2, timezone: "Europe/Bonn" }] }), 'policy pulumiscale.targets.workers.schedules.0.timezone: expected an IANA time zone name such as Europe/Berlin, America/New_York or UTC (not an offset such as +05:30, which follows no daylight-saving rules), got "Europe/Bonn"'],
    ["a window shorter than a minute", withTarget({ schedules: [{ cron: "0 8 * * *", duration: "30s", min: 2 }] }), "policy pulumiscale.targets.workers.schedules.0.duration: expected a duration such as 90s, 5m, 2h or 1d, or a number of seconds, from 60s to 7d"],
    ["a schedule that sets nothing", withTarget({ schedules: [{ cron: "0 8 * * *", duration: "1h" }] }), "policy pulumiscale.targets.workers.schedules.0.min: expected at least one of min, max or count, got nothing"],
    ["a count with a min", withTarget({ schedules: [{ cron: "0 8 * * *", duration: "1h", count: 3, min: 2 }] }), "policy pulumiscale.targets.workers.schedules.0.count: expected no count when min or max is given (count sets both), got 3"],
    ["a schedule floor above the target's max", withTarget({ schedules: [{ cron: "0 8 * * *", duration: "1h", min: 50 }] }), "policy pulumiscale.targets.workers.schedules.0.min: expected a count from 1 to 10 (the target's min and max), got 50"],
    ["a schedule min above its max", withTarget({ schedules: [{ cron: "0 8 * * *", duration: "1h", min: 5, max: 4 }] }), "policy pulumiscale.targets.workers.schedules.0.min: expected a number no greater than max, got 5"],
    ["a rule adjustment that is neither form", withRule({ firing: 2 }), 'policy pulumiscale.rules.0.firing: expected "+N" (add N), "-N" (remove N), "+N%" or "-N%" (add or remove N percent) or "=N" (set to N), { adjustment, minAdjustmentMagnitude }, { steps: [...] } or { targetValue: N }, got 2'],
    ["an empty object", withRule({ firing: {} }), "policy pulumiscale.rules.0.firing: expected"],
    ["a bad step adjustment", withRule({ firing: { steps: [{ lower: 0, adjustment: "x" }] } }), 'policy pulumiscale.rules.0.firing.steps.0.adjustment: expected "+N" (add N)'],
    ["no steps", withRule({ firing: { steps: [] } }), "policy pulumiscale.rules.0.firing.steps: expected a list of at least 1 items, got []"],
    ["an empty step interval", withRule({ firing: { steps: [{ lower: 5, upper: 5, adjustment: "+1" }] } }), "policy pulumiscale.rules.0.firing.steps.0.upper: expected a number greater than lower (5): an interval may not be empty, got 5"],
    ["a gap between steps", withRule({ firing: { steps: [{ lower: 0, upper: 10, adjustment: "+1" }, { lower: 20, adjustment: "+2" }] } }), "policy pulumiscale.rules.0.firing.steps.1.lower: expected 10, the upper bound of the step before: steps are contiguous, in ascending order, and do not overlap (a gap of 10 to 20), got 20"],
    ["overlapping steps", withRule({ firing: { steps: [{ lower: 0, upper: 10, adjustment: "+1" }, { lower: 5, adjustment: "+2" }] } }), "policy pulumiscale.rules.0.firing.steps.1.lower: expected 10, the upper bound"],
    ["a middle step open below", withRule({ firing: { steps: [{ upper: 0, adjustment: "-1" }, { upper: 10, adjustment: "+1" }] } }), "policy pulumiscale.rules.0.firing.steps.1.lower: expected a lower bound: only the first step may be unbounded below"],
    ["a first step open above", withRule({ firing: { steps: [{ lower: 0, adjustment: "+1" }, { lower: 10, adjustment: "+2" }] } }), "policy pulumiscale.rules.0.firing.steps.0.upper: expected an upper bound: only the last step may be unbounded above"],
    ["a target value of zero", withRule({ firing: { targetValue: 0 } }), "policy pulumiscale.rules.0.firing.targetValue: expected a number greater than 0, got 0"],
    ["a misspelt tracking key", withRule({ firing: { targetValue: 60, tolerance: 5 } }), 'policy pulumiscale.rules.0.firing: expected only targetValue, tolerancePercent, activationThreshold (found "tolerance")'],
    // Issue 11, finding 3: AWS refuses step lists without an open-ended step where one is needed.
    ["a negative bound without a step open below (AWS)", withRule({ firing: { steps: [{ lower: -10, upper: 0, adjustment: "-1" }] } }), "policy pulumiscale.rules.0.firing.steps.0.lower: expected no lower bound on the first step: with a negative bound, the breaches below it need a step (as AWS requires)"],
    ["a positive bound without a step open above (AWS)", withRule({ firing: { steps: [{ lower: 0, upper: 10, adjustment: "+1" }] } }), "policy pulumiscale.rules.0.firing.steps.0.upper: expected no upper bound on the last step: with a positive bound, the breaches above it need a step (as AWS requires)"],
    ["a step open on both sides (AWS)", withRule({ firing: { steps: [{ adjustment: "+1" }] } }), "policy pulumiscale.rules.0.firing.steps.0.lower: expected a lower or an upper bound: a step may not be unbounded on both sides (as AWS requires), got nothing"],
    ["an overlap, named", withRule({ firing: { steps: [{ lower: 0, upper: 10, adjustment: "+1" }, { lower: 5, adjustment: "+2" }] } }), "do not overlap (an overlap of 10 to 5), got 5"],
    ["a time zone offset instead of a name", withTarget({ schedules: [{ cron: "0 8 * * *", duration: "1h", min: 2, timezone: "+05:30" }] }), 'policy pulumiscale.targets.workers.schedules.0.timezone: expected an IANA time zone name such as Europe/Berlin, America/New_York or UTC (not an offset such as +05:30, which follows no daylight-saving rules), got "+05:30"'],
    ["an impossible date", withTarget({ schedules: [{ cron: "0 0 31 2 *", duration: "1h", min: 2 }] }), 'policy pulumiscale.targets.workers.schedules.0.cron: expected a cron expression'],
    ["an impossible date with a month name", withTarget({ schedules: [{ cron: "0 0 30 FEB *", duration: "1h", min: 2 }] }), 'got "0 0 30 FEB *"'],
    ["a scale-in percent limit above 100", withTarget({ behavior: { scaleDown: { policies: [{ type: "Percent", value: 150, periodSeconds: 60 }] } } }), "policy pulumiscale.targets.workers.behavior.scaleDown.policies.0.value: expected a percentage at most 100: a scale-in cannot remove more than the whole count, got 150"],
    ["a percent limit above the largest", withTarget({ behavior: { scaleUp: { policies: [{ type: "Percent", value: 20000, periodSeconds: 60 }] } } }), "policy pulumiscale.targets.workers.behavior.scaleUp.policies.0.value: expected a percentage at most 10000: a larger growth is a typo, not a plan, got 20000"],
    ["a percentage step limit too large", withTarget({ maxStepPercent: 20000 }), "policy pulumiscale.targets.workers.maxStepPercent: expected a number at most 10000, got 20000"],
    ["a period of zero", withTarget({ behavior: { scaleUp: { policies: [{ type: "Pods", value: 4, periodSeconds: 0 }] } } }), "policy pulumiscale.targets.workers.behavior.scaleUp.policies.0.periodSeconds: expected a number at least 1, got 0"],
    ["an unknown policy type", withTarget({ behavior: { scaleUp: { policies: [{ type: "pods", value: 4, periodSeconds: 60 }] } } }), 'policy pulumiscale.targets.workers.behavior.scaleUp.policies.0.type: expected "Pods" or "Percent", got "pods"'],
    ["an unknown selectPolicy", withTarget({ behavior: { scaleDown: { selectPolicy: "max" } } }), 'policy pulumiscale.targets.workers.behavior.scaleDown.selectPolicy: expected "Max", "Min" or "Disabled", got "max"'],
    ["both names for the scale-down window", withTarget({ scaleInStabilization: "5m", behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } }), "policy pulumiscale.targets.workers.scaleInStabilization: expected no scaleInStabilization alongside behavior.scaleDown.stabilizationWindowSeconds, which it is another name for: keep only the latter, got \"5m\""],
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

  // Issue 11, finding 4: HPA skips scale-down when a metric is missing, so the signal is kept and holds the count.
  it("are kept, saying what is missing, when the alert has no value: they hold the count", () => {
    const policy = parsePolicy(withRule({ firing: { targetValue: 50 } }), "pulumiscale");
    const { resolved, skipped } = resolveSignals(policy, alarm(false));
    expect(skipped).toEqual([]);
    expect(resolved.map((s) => s.reason)).toEqual([
      "alarm HighCPU OK → ALARM (CPUUtilization) → track 50 ±10% (rules[0], needs the metric value: the alert carries none (give the rule valueFrom), so it holds the count)",
    ]);
  });
});
