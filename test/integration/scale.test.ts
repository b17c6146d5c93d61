// The core loop end to end: a dispatch event through the committed dist/index.js, the real
// Pulumi CLI and the fixture program on a file backend.
import { createFleetStack, runAction, type FleetStack } from "../support/fleet.js";

const dispatch = (clientPayload: unknown) => ({ action: "scale", client_payload: clientPayload });

describe("a repository_dispatch asking for +2 workers", () => {
  let fleet: FleetStack;
  let run: ReturnType<typeof runAction>;

  beforeAll(() => {
    fleet = createFleetStack({ workerCount: 3, extraResources: 2 });
    // Another change waits in the config: a targeted update must not apply it.
    fleet.pulumi(["config", "set", "label", "v2"]);
    run = runAction(fleet, {
      eventName: "repository_dispatch",
      event: dispatch({ source: "delta", stack: "dev", target: "workers", delta: 2 }),
    });
  });

  it("succeeds", () => {
    expect(run.stderr).not.toMatch(/::error::/);
    expect(run.code).toBe(0);
  });

  it("scales the pool from 3 to 5 in the cloud and in the stack state", () => {
    expect(fleet.poolSizeOnDisk()).toBe(5);
    expect(fleet.outputs()["poolSize"]).toBe(5);
    expect(fleet.outputs()["pulumiscale"]).toMatchObject({ targets: { workers: { current: 5 } } });
  });

  it("leaves the count in the stack config file", () => {
    expect(fleet.configFile()).toMatch(/fleet:workerCount: "5"/);
  });

  it("updates only the target: the unrelated resources keep their old config", () => {
    expect(fleet.widgetLabelOnDisk(0)).toBe("v1");
    expect(fleet.widgetLabelOnDisk(1)).toBe("v1");
    expect(fleet.stateFile()).not.toMatch(/"label":\s*"v2"/);
  });

  it("writes the outputs and the step summary", () => {
    expect(run.outputs).toMatchObject({ changed: "true", target: "workers", previous: "3", desired: "5" });
    expect(JSON.parse(run.outputs["decisions"]!)).toEqual([
      expect.objectContaining({ target: "workers", from: 3, to: 5, changed: true, clamps: [] }),
    ]);
    expect(run.summary).toContain("| workers | 3 | 5 |");
    expect(run.summary).toMatch(/Targeted update: .*update 1/);
  });

  it("records the decision as the update message in the stack history", () => {
    const history = JSON.parse(fleet.pulumi(["stack", "history", "--json"]));
    expect(history[0].message).toMatch(/^PulumiScale: workers 3 → 5/);
    expect(history[0].message).toContain('pulumiscale-record: {"v":1');
  });
});

describe("limits", () => {
  let fleet: FleetStack;
  beforeAll(() => {
    fleet = createFleetStack({ workerCount: 3, bounds: { min: 1, max: 8 } });
  });

  it("clamps a count above max to max and says so", () => {
    const run = runAction(fleet, {
      eventName: "workflow_dispatch",
      event: { inputs: { target: "workers", count: "50", delta: "" } },
    });
    expect(run.code).toBe(0);
    expect(fleet.poolSizeOnDisk()).toBe(8);
    const [decision] = JSON.parse(run.outputs["decisions"]!);
    expect(decision).toMatchObject({ from: 3, proposed: 50, to: 8 });
    expect(decision.clamps).toEqual([{ limit: "max", value: 8, before: 50, after: 8 }]);
    expect(run.summary).toContain("max 8 limited 50 to 8");
  });

  it("runs no update when the target is already at the bound", () => {
    const before = fleet.stateFile();
    const run = runAction(fleet, {
      eventName: "workflow_dispatch",
      event: { inputs: {} },
      inputs: { target: "workers", delta: "+3" },
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ changed: "false", previous: "8", desired: "8" });
    expect(run.summary).toContain("no update was run");
    expect(fleet.stateFile()).toBe(before);
  });

  it("runs no update for a delta of 0", () => {
    const before = fleet.stateFile();
    const run = runAction(fleet, {
      eventName: "repository_dispatch",
      event: dispatch({ target: "workers", delta: 0 }),
    });
    expect(run.code).toBe(0);
    expect(run.outputs["changed"]).toBe("false");
    expect(fleet.stateFile()).toBe(before);
  });

  it("on dry run previews and changes nothing", () => {
    const state = fleet.stateFile();
    const config = fleet.configFile();
    const run = runAction(fleet, {
      eventName: "repository_dispatch",
      event: dispatch({ target: "workers", delta: -2 }),
      inputs: { "dry-run": "true" },
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ changed: "true", previous: "8", desired: "6" });
    expect(run.summary).toMatch(/dry run/);
    expect(run.summary).toMatch(/Targeted preview: .*update 1/);
    expect(fleet.stateFile()).toBe(state);
    expect(fleet.configFile()).toBe(config);
    expect(fleet.poolSizeOnDisk()).toBe(8);
  });
});

describe("a policy that holds a secret", () => {
  it("is read decrypted and its bounds hold", () => {
    const fleet = createFleetStack({ workerCount: 3, bounds: { max: 6, secret: true } });
    const run = runAction(fleet, { eventName: "repository_dispatch", event: dispatch({ target: "workers", count: 9 }) });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.outputs["decisions"]!)[0]).toMatchObject({ from: 3, to: 6, clamps: [{ limit: "max", value: 6 }] });
    expect(fleet.poolSizeOnDisk()).toBe(6);
  });
});
