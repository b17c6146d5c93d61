// An event whose every signal is skipped gives a green run that scaled nothing: the action says
// so with a warning annotation and the `skipped` output, through dist/index.js on a real stack.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createFleetStack, repoRoot, runAction, type FleetStack } from "../support/fleet.js";

const payload = (...parts: string[]) => JSON.parse(readFileSync(path.join(repoRoot, "test", "fixtures", "payloads", ...parts), "utf8"));
const rules = [{ match: { source: "alertmanager", name: "HighCPU", labels: { service: "worker" } }, target: "workers", firing: "+2" }];

/** The workflow commands @actions/core wrote for `::warning`, with their escaped line breaks restored. */
const warnings = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => line.startsWith("::warning"))
    .map((line) => line.replace(/%0A/g, "\n").replace(/%25/g, "%"));

describe("every signal skipped", () => {
  let fleet: FleetStack;
  const dispatch = (clientPayload: unknown) => runAction(fleet, { eventName: "repository_dispatch", event: { client_payload: clientPayload } });

  beforeAll(() => {
    fleet = createFleetStack({ workerCount: 3, bounds: { max: 20 }, policy: { rules } });
  });

  it("a firing alarm that no rule matches warns, naming why, and lists it in the skipped output", () => {
    const run = dispatch({ source: "cloudwatch", eventbridge: payload("cloudwatch", "eventbridge-state-change-for-a-single-metric-alarm.json") });
    expect(run.code).toBe(0);
    expect(fleet.poolSizeOnDisk()).toBe(3);
    expect(run.outputs["changed"]).toBe("false");
    const [warning, ...others] = warnings(run.stdout);
    expect(others).toEqual([]);
    expect(warning).toContain("::warning title=PulumiScale scaled nothing::Every signal was skipped, so nothing was scaled (1 signal):");
    expect(warning).toContain('no rule matches cloudwatch alert "ServerCpuTooHigh" and it names no target (label pulumiscale_target)');
    expect(warning).toContain("npx pulumiscale validate");
    expect(JSON.parse(run.outputs["skipped"]!)).toEqual([
      {
        source: "cloudwatch",
        reason: expect.stringContaining("alarm ServerCpuTooHigh OK → ALARM"),
        why: 'no rule matches cloudwatch alert "ServerCpuTooHigh" and it names no target (label pulumiscale_target)',
        deliveryId: expect.any(String),
        alert: "ServerCpuTooHigh",
        status: "firing",
      },
    ]);
    expect(run.summary).toContain("> [!WARNING]\n> Every signal was skipped");
  });

  it("a resolved group that changes nothing by design does not warn, but is in the skipped output", () => {
    const run = dispatch({ source: "alertmanager", alertmanager: payload("alertmanager", "alertmanager-0.25.0-resolved.raw.json") });
    expect(run.code).toBe(0);
    expect(warnings(run.stdout)).toEqual([]);
    expect(JSON.parse(run.outputs["skipped"]!).map((s: { status: string }) => s.status)).toEqual(["resolved", "resolved"]);
  });

  it("a group where one alert scaled does not warn about the other", () => {
    const run = dispatch({ source: "alertmanager", alertmanager: payload("alertmanager", "alertmanager-0.25.0-firing.raw.json") });
    expect(run.code).toBe(0);
    expect(fleet.poolSizeOnDisk()).toBe(5);
    expect(warnings(run.stdout)).toEqual([]);
    expect(JSON.parse(run.outputs["skipped"]!)).toHaveLength(1);
  });
});
