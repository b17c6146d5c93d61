import { describe, expect, test } from "@jest/globals";
import { decide } from "../../src/engine/decide.js";
import { dropRedeliveries, type ScalingMemory } from "../../src/engine/memory.js";
import { resolveSignals } from "../../src/engine/resolve.js";
import { parsePolicy, type Policy } from "../../src/policy/schema.js";
import { alarmsToReask } from "../../src/reask/alarm-names.js";
import type { DescribedAlarm } from "../../src/reask/alarm-states.js";
import { reaskAlarms } from "../../src/reask/reask.js";
import { CloudWatchStandIn } from "../support/cloudwatch-stand-in.js";

// An alarm that stays in ALARM asks again on the schedule run, under the cooldowns (docs/events.md,
// "An alarm that stays in ALARM"). DescribeAlarms is a stand-in checked against AWS's API model.

const ARN = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:";

function policyWith(rules: unknown[], current = 3): Policy {
  return parsePolicy(
    {
      version: 1,
      targets: { workers: { urn: "urn:pulumi:prod::web::aws:ecs/service:Service::workers", config: "workerCount", current, min: 1, max: 20, cooldown: { scaleOut: "5m" } } },
      rules,
    },
    "pulumiscale",
  );
}

const backlogRule = { match: { source: "cloudwatch", name: "jobs-backlog-high" }, target: "workers", firing: "+2" };

function metricAlarm(name: string, overrides: Partial<DescribedAlarm> = {}): DescribedAlarm {
  return {
    AlarmName: name,
    AlarmArn: `${ARN}${name}`,
    AlarmDescription: "Jobs are waiting",
    ActionsEnabled: true,
    StateValue: "ALARM",
    StateReason: "Threshold Crossed: 1 datapoint [812.0] was greater than the threshold (500.0).",
    StateReasonData: JSON.stringify({ version: "1.0", recentDatapoints: [812], threshold: 500 }),
    StateTransitionedTimestamp: "2026-12-02T12:04:00.000Z",
    MetricName: "ApproximateNumberOfMessagesVisible",
    Namespace: "AWS/SQS",
    Dimensions: [{ Name: "QueueName", Value: "jobs" }],
    Threshold: 500,
    ...overrides,
  };
}

describe("which alarms are re-read", () => {
  test("CloudWatch rules that name an alarm and scale while it fires, once each, in the rule's region or the runner's", () => {
    const policy = policyWith([
      backlogRule,
      { match: { source: "cloudwatch", name: "jobs-backlog-high" }, target: "workers", firing: "+4" },
      { match: { source: "cloudwatch", name: "cpu-low", labels: { region: "us-east-1" } }, target: "workers", firing: "-1" },
      { match: { source: "cloudwatch", name: "only-resolved" }, target: "workers", resolved: "-1" },
      { match: { source: "cloudwatch", labels: { QueueName: "jobs" } }, target: "workers", firing: "+1" },
      { match: { name: "HighCPU" }, target: "workers", firing: "+1" },
    ]);
    expect(alarmsToReask(policy, "eu-west-1")).toEqual([
      { name: "jobs-backlog-high", region: "eu-west-1", rule: 0 },
      { name: "cpu-low", region: "us-east-1", rule: 2 },
    ]);
  });
});

describe("re-reading the alarms", () => {
  test("an alarm still in ALARM is the alert its delivery was, renewed: same labels, an occurrence id, a reason that says so", async () => {
    const cloudwatch = new CloudWatchStandIn({ "eu-west-1": { metric: [metricAlarm("jobs-backlog-high")] } });
    const { signals, warnings } = await reaskAlarms(policyWith([backlogRule]), cloudwatch, "eu-west-1", "pulumiscale");
    expect(warnings).toEqual([]);
    expect(signals).toEqual([
      {
        source: "cloudwatch",
        reason: "alarm jobs-backlog-high ALARM (ApproximateNumberOfMessagesVisible 812, threshold 500), still ALARM since 2026-12-02T12:04:00.000Z (re-read on schedule)",
        deliveryId: `${ARN}jobs-backlog-high|2026-12-02T12:04:00.000Z`,
        deliveryIdKind: "occurrence",
        // Its condition began when it entered ALARM: the timings count from there.
        began: "2026-12-02T12:04:00.000Z",
        alert: {
          name: "jobs-backlog-high",
          status: "firing",
          labels: { QueueName: "jobs", namespace: "AWS/SQS", metric: "ApproximateNumberOfMessagesVisible", region: "eu-west-1", account: "123456789012" },
          annotations: { description: "Jobs are waiting", reason: "Threshold Crossed: 1 datapoint [812.0] was greater than the threshold (500.0)." },
          value: 812,
          threshold: 500,
        },
      },
    ]);
    expect(cloudwatch.requests).toEqual([{ region: "eu-west-1", request: { AlarmNames: ["jobs-backlog-high"], AlarmTypes: ["MetricAlarm", "CompositeAlarm"] } }]);
    expect(cloudwatch.invalid).toEqual([]);
  });

  test("alarms in OK or INSUFFICIENT_DATA, or with their actions disabled, ask nothing; a composite alarm in ALARM does", async () => {
    const rules = ["ok", "no-data", "disabled", "composite"].map((name) => ({ match: { source: "cloudwatch", name }, target: "workers", firing: "+1" }));
    const cloudwatch = new CloudWatchStandIn({
      "eu-west-1": {
        metric: [metricAlarm("ok", { StateValue: "OK" }), metricAlarm("no-data", { StateValue: "INSUFFICIENT_DATA" }), metricAlarm("disabled", { ActionsEnabled: false })],
        composite: [{ AlarmName: "composite", AlarmArn: `${ARN}composite`, ActionsEnabled: true, StateValue: "ALARM", StateTransitionedTimestamp: "2026-12-02T12:00:00.000Z" }],
      },
    });
    const { signals, warnings } = await reaskAlarms(policyWith(rules), cloudwatch, "eu-west-1", "pulumiscale");
    expect(warnings).toEqual([]);
    expect(signals.map((signal) => signal.alert?.name)).toEqual(["composite"]);
    expect(signals[0]!.alert!.labels).toEqual({ region: "eu-west-1", account: "123456789012" });
    expect(cloudwatch.invalid).toEqual([]);
  });

  test("an alarm DescribeAlarms does not return is a warning naming the rule; so is a failed call, and the run goes on", async () => {
    const cloudwatch = new CloudWatchStandIn({ "eu-west-1": { metric: [] } });
    const missing = await reaskAlarms(policyWith([backlogRule]), cloudwatch, "eu-west-1", "pulumiscale");
    expect(missing).toEqual({
      signals: [],
      warnings: ['policy pulumiscale.rules.0 names CloudWatch alarm "jobs-backlog-high", which DescribeAlarms does not return in eu-west-1'],
    });
    cloudwatch.failWith = new Error("AccessDenied: User is not authorized to perform: cloudwatch:DescribeAlarms");
    const refused = await reaskAlarms(policyWith([backlogRule]), cloudwatch, "eu-west-1", "pulumiscale");
    expect(refused.warnings).toEqual([
      'could not re-read CloudWatch alarms "jobs-backlog-high" in eu-west-1: AccessDenied: User is not authorized to perform: cloudwatch:DescribeAlarms',
    ]);
    expect(cloudwatch.invalid).toEqual([]);
  });

  test("every page is read", async () => {
    const names = Array.from({ length: 5 }, (_, index) => `queue-${index}`);
    const cloudwatch = new CloudWatchStandIn({ "eu-west-1": { metric: names.map((name) => metricAlarm(name)) } }, 2);
    const rules = names.map((name) => ({ match: { source: "cloudwatch", name }, target: "workers", firing: "+1" }));
    const { signals } = await reaskAlarms(policyWith(rules), cloudwatch, "eu-west-1", "pulumiscale");
    expect(signals.map((signal) => signal.alert?.name)).toEqual(names);
    expect(cloudwatch.requests.map(({ request }) => request.NextToken)).toEqual([undefined, "2", "4"]);
    expect(cloudwatch.invalid).toEqual([]);
  });

  test("the stand-in refuses what AWS's model does not allow", async () => {
    const cloudwatch = new CloudWatchStandIn({ "eu-west-1": { metric: [{ ...metricAlarm("x"), Threshold: "500" as unknown as number }] } });
    await cloudwatch.describeAlarms("eu-west-1", { AlarmNames: ["x"], AlarmTypes: ["MetricAlarm"], Unknown: 1 } as never);
    expect(cloudwatch.invalid).toEqual(
      expect.arrayContaining([
        'stand-in alarms of eu-west-1.MetricAlarms[0].Threshold: expected a number, got "500"',
        "DescribeAlarms request.Unknown: not a member of the model's shape",
      ]),
    );
  });
});

describe("a renewed alarm under the cooldowns", () => {
  const at = (iso: string) => new Date(iso);
  const scaledAt = Date.parse("2026-12-02T12:05:00Z");
  // The delivery that took workers 3 → 5 applied the SNS MessageId, not the re-read id.
  const memory: ScalingMemory = { scalings: [{ target: "workers", from: 3, to: 5, at: scaledAt, alertAdded: 2 }], applied: new Map([["sns-message-1", scaledAt]]) };

  async function run(now: Date) {
    const policy = policyWith([backlogRule], 5);
    const { signals } = await reaskAlarms(policy, new CloudWatchStandIn({ "eu-west-1": { metric: [metricAlarm("jobs-backlog-high")] } }), "eu-west-1", "pulumiscale");
    const { fresh, redelivered } = dropRedeliveries(signals, memory);
    expect(redelivered).toEqual([]);
    const { resolved } = resolveSignals(policy, fresh);
    return decide(policy, resolved, { now, memory, evaluateSchedules: true })[0]!;
  }

  test("inside the scale-out cooldown the same step is held, as AWS step scaling holds it", async () => {
    expect(await run(at("2026-12-02T12:08:00Z"))).toMatchObject({ target: "workers", from: 5, to: 5, changed: false });
  });

  test("after the cooldown the alarm still in ALARM scales again", async () => {
    expect(await run(at("2026-12-02T12:11:00Z"))).toMatchObject({ target: "workers", from: 5, to: 7, changed: true });
  });
});
