// The stabilization window's memory lives in the stack's tags: through dist/index.js on a real
// stack (file backend), a run that changes nothing leaves its recommendation in a tag, and the
// next run's scale-in is held by it (issue 11, finding 5).
import { readFileSync } from "node:fs";
import path from "node:path";
import { createFleetStack, repoRoot, runAction, type FleetStack } from "../support/fleet.js";

const firing = JSON.parse(readFileSync(path.join(repoRoot, "test", "fixtures", "payloads", "alertmanager", "alertmanager-0.25.0-firing.raw.json"), "utf8"));

/** The fixture's firing group, with the worker alert's latency as an annotation. */
const latency = (value: number) => ({
  source: "alertmanager",
  alertmanager: {
    ...firing,
    alerts: firing.alerts.map((alert: { labels: Record<string, string>; annotations: Record<string, string> }) => ({
      ...alert,
      annotations: { ...alert.annotations, value: String(value) },
    })),
  },
});

describe("stabilization remembered through stack tags", () => {
  let fleet: FleetStack;
  const dispatch = (value: number) => runAction(fleet, { eventName: "repository_dispatch", event: { client_payload: latency(value) } });
  const tags = () => JSON.parse(fleet.pulumi(["stack", "tag", "ls", "--json"])) as Record<string, string>;

  beforeAll(() => {
    fleet = createFleetStack({
      workerCount: 10,
      bounds: { max: 40 },
      policy: {
        rules: [{ match: { source: "alertmanager", name: "HighCPU", labels: { service: "worker" } }, target: "workers", firing: { targetValue: 50 }, valueFrom: "value" }],
        workers: { scaleInStabilization: "10m" },
      },
    });
  });

  it("a value inside the band changes nothing and leaves the recommendation 10 in a tag", () => {
    const run = dispatch(52);
    expect(run.code).toBe(0);
    expect(run.outputs["changed"]).toBe("false");
    expect(tags()["pulumiscale:rec:workers"]).toMatch(/^\d+:10$/);
  });

  it("a later value asking 4 is held at 10 by that recommendation, and the tag keeps both", () => {
    const run = dispatch(20);
    expect(run.code).toBe(0);
    expect(run.outputs["changed"]).toBe("false");
    expect(fleet.poolSizeOnDisk()).toBe(10);
    expect(run.summary).toMatch(/stabilization\.scaleDown \(600s\): 10 recommended at .*, until .*: asked 4, allowed 10/);
    expect(tags()["pulumiscale:rec:workers"]).toMatch(/^\d+:10 \d+:4$/);
  });
});
