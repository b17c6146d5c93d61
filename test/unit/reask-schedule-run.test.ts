import { expect, test } from "@jest/globals";
import { scale } from "../../src/main.js";
import type { PulumiRunner } from "../../src/pulumi/runner.js";
import { reaskAlarms } from "../../src/reask/reask.js";
import { readSettings } from "../../src/settings.js";
import { CloudWatchStandIn } from "../support/cloudwatch-stand-in.js";

// The hook in the action's run: only a schedule run with reask-cloudwatch-alarms re-asks.

const policy = {
  version: 1,
  targets: { workers: { urn: "urn:pulumi:prod::web::aws:ecs/service:Service::workers", config: "workerCount", current: 20, min: 1, max: 20 } },
  rules: [{ match: { source: "cloudwatch", name: "jobs-backlog-high" }, target: "workers", firing: "+2" }],
};

// At its maximum already, so the re-asked step is decided but changes nothing and no update runs.
const runner: PulumiRunner = {
  readOutputs: async () => ({ pulumiscale: policy }),
  readHistory: async () => [],
  update: async () => {
    throw new Error("no update expected");
  },
  settingsFile: "Pulumi.prod.yaml",
  qualifiedConfigKey: (key) => `web:${key}`,
};

const settings = readSettings((name) => ({ stack: "prod", "reask-cloudwatch-alarms": "true" })[name] ?? "", process.cwd());
const cloudwatch = new CloudWatchStandIn({
  "eu-west-1": {
    metric: [{ AlarmName: "jobs-backlog-high", AlarmArn: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:jobs-backlog-high", ActionsEnabled: true, StateValue: "ALARM", StateTransitionedTimestamp: "2026-12-02T12:04:00.000Z" }],
  },
});
const reask = (p: Parameters<typeof reaskAlarms>[0]) => reaskAlarms(p, cloudwatch, "eu-west-1", "pulumiscale");

test("the input is read", () => {
  expect(settings.reaskCloudWatchAlarms).toBe(true);
  expect(readSettings((name) => ({ stack: "prod" })[name] ?? "", process.cwd()).reaskCloudWatchAlarms).toBeUndefined();
});

test("a schedule run decides on the alarms still in ALARM", async () => {
  const outcome = await scale(settings, { name: "schedule", payload: {} }, async () => runner, { reask });
  expect(outcome.decisions).toHaveLength(1);
  expect(outcome.decisions[0]).toMatchObject({ target: "workers", from: 20, to: 20, changed: false });
  expect(outcome.warnings).toBeUndefined();
  expect(cloudwatch.requests).toHaveLength(1);
});

test("a dispatch run does not re-ask; a failed read is a warning of the run", async () => {
  const before = cloudwatch.requests.length;
  const dispatched = await scale(settings, { name: "repository_dispatch", payload: { client_payload: { target: "workers", delta: 0 } } }, async () => runner, { reask });
  expect(cloudwatch.requests).toHaveLength(before);
  expect(dispatched.warnings).toBeUndefined();
  const failing = async () => ({ signals: [], warnings: ["could not re-read CloudWatch alarms"] });
  const outcome = await scale(settings, { name: "schedule", payload: {} }, async () => runner, { reask: failing });
  expect(outcome.warnings).toEqual(["could not re-read CloudWatch alarms"]);
  expect(cloudwatch.invalid).toEqual([]);
});
