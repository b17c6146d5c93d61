// Real alert payloads in a repository_dispatch, through dist/index.js, scale the fixture pool.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createFleetStack, repoRoot, runAction, type FleetStack } from "../support/fleet.js";

const payload = (...parts: string[]) => JSON.parse(readFileSync(path.join(repoRoot, "test", "fixtures", "payloads", ...parts), "utf8"));

const rules = [
  { match: { source: "alertmanager", name: "HighCPU", labels: { service: "worker" } }, target: "workers", firing: "+2" },
  { match: { source: "cloudwatch", name: "EXAMPLE" }, target: "workers", firing: "+1" },
  { match: { source: "cloudwatch", name: "ServerCpuTooHigh" }, target: "workers", firing: "+3" },
];

describe("alerts from real payloads", () => {
  let fleet: FleetStack;
  const dispatch = (clientPayload: unknown) => runAction(fleet, { eventName: "repository_dispatch", event: { client_payload: clientPayload } });

  beforeAll(() => {
    fleet = createFleetStack({ workerCount: 3, bounds: { max: 20 }, policy: { rules } });
  });

  it("an Alertmanager firing group scales the pool by the matching rule", () => {
    const run = dispatch({ source: "alertmanager", stack: "dev", alertmanager: payload("alertmanager", "alertmanager-0.25.0-firing.raw.json") });
    expect(run.code).toBe(0);
    expect(fleet.poolSizeOnDisk()).toBe(5);
    expect(run.outputs).toMatchObject({ changed: "true", previous: "3", desired: "5" });
    // The group's other alert (service api) matches no rule: it is shown as skipped, not lost.
    expect(run.summary).toContain("**Skipped**");
  });

  it("the resolved group changes nothing", () => {
    const run = dispatch({ source: "alertmanager", alertmanager: payload("alertmanager", "alertmanager-0.25.0-resolved.raw.json") });
    expect(run.code).toBe(0);
    expect(run.outputs["changed"]).toBe("false");
    expect(fleet.poolSizeOnDisk()).toBe(5);
  });

  it("a CloudWatch ALARM wrapped in SNS scales the pool", () => {
    const sns = payload("cloudwatch", "lambda-sns-cloudwatch-alarm-single-metric.aws-lambda-go.json").Records[0].Sns;
    const run = dispatch({ source: "cloudwatch", sns });
    expect(run.code).toBe(0);
    expect(fleet.poolSizeOnDisk()).toBe(6);
    expect(JSON.parse(run.outputs["decisions"]!)[0].signals[0]).toMatchObject({ source: "cloudwatch", deliveryId: sns.MessageId });
  });

  it("an EventBridge ALARM scales the pool", () => {
    const run = dispatch({ source: "cloudwatch", eventbridge: payload("cloudwatch", "eventbridge-state-change-for-a-single-metric-alarm.json") });
    expect(run.code).toBe(0);
    expect(fleet.poolSizeOnDisk()).toBe(9);
  });
});
