// The preview gate stops an update that would touch more than the target, before anything changes.
import { createFleetStack, runAction } from "../support/fleet.js";

const scaleUp = { client_payload: { target: "workers", delta: 2 } };

describe("the preview gate", () => {
  it("stops an update that would replace resources depending on the target, naming them", () => {
    // With target-dependents, the widgets (which record the pool's size) would be replaced.
    const fleet = createFleetStack({ workerCount: 3, extraResources: 2, widgetBehaviour: { followPool: true, replaceOnChange: true } });
    const state = fleet.stateFile();
    const config = fleet.configFile();
    const run = runAction(fleet, { eventName: "repository_dispatch", event: scaleUp, inputs: { "target-dependents": "true" } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/The preview gate stopped the update of stack "dev"; nothing was changed/);
    for (const widget of ["widget-0", "widget-1"]) {
      expect(run.stdout).toContain(
        `would replace urn:pulumi:dev::fleet::pulumi-nodejs:dynamic:Resource::${widget}, which depends on a scaling target; only in-place updates of dependents are allowed`,
      );
    }
    expect(fleet.stateFile()).toBe(state);
    expect(fleet.configFile()).toBe(config);
    expect(fleet.poolSizeOnDisk()).toBe(3);

    // Without target-dependents the targeted update leaves the widgets alone and passes the gate.
    const targeted = runAction(fleet, { eventName: "repository_dispatch", event: scaleUp });
    expect(targeted.code).toBe(0);
    expect(fleet.poolSizeOnDisk()).toBe(5);
  });

  it("refuses a policy whose urn is a wildcard before anything runs", () => {
    const fleet = createFleetStack({
      workerCount: 3,
      extraResources: 2,
      policy: { workers: { urn: "urn:pulumi:dev::fleet::pulumi-nodejs:dynamic:Resource::*" } },
    });
    const state = fleet.stateFile();
    const run = runAction(fleet, { eventName: "repository_dispatch", event: scaleUp });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/policy pulumiscale\.targets\.workers\.urn: expected the resource's exact urn without "\*"/);
    expect(run.stdout).not.toMatch(/Previewing update/);
    expect(fleet.stateFile()).toBe(state);
    expect(fleet.poolSizeOnDisk()).toBe(3);
  });

  it("stops a scaling whose config key does not drive the target, with or without the gate", () => {
    const fleet = createFleetStack({ workerCount: 3, git: true, policy: { workers: { config: "unusedCount" } } });
    const head = fleet.git(["--git-dir", fleet.remote!, "rev-parse", "main"]);
    const gated = runAction(fleet, { eventName: "repository_dispatch", event: scaleUp });
    expect(gated.code).toBe(1);
    expect(gated.stdout).toMatch(/would not change the target "workers" .*the program reads the count from its config key/);

    const ungated = runAction(fleet, { eventName: "repository_dispatch", event: scaleUp, inputs: { "preview-gate": "false" } });
    expect(ungated.code).toBe(1);
    expect(ungated.stdout).toMatch(/ran but changed no target, so nothing was committed/);
    expect(fleet.git(["--git-dir", fleet.remote!, "rev-parse", "main"])).toBe(head);
    expect(fleet.poolSizeOnDisk()).toBe(3);
  });

  it("stops an update that would replace the target unless the policy allows it", () => {
    const fleet = createFleetStack({ workerCount: 3, poolBehaviour: { replaceOnChange: true } });
    const blocked = runAction(fleet, { eventName: "repository_dispatch", event: scaleUp });
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/would replace the target "workers" .*set allowReplace: true on the target in the policy/);
    expect(fleet.poolSizeOnDisk()).toBe(3);

    fleet.pulumi(["config", "set", "policy", JSON.stringify({ workers: { allowReplace: true } })]);
    fleet.pulumi(["up", "--yes", "--skip-preview"]);
    const allowed = runAction(fleet, { eventName: "repository_dispatch", event: scaleUp });
    expect(allowed.code).toBe(0);
    expect(allowed.summary).toMatch(/Preview gate: the targeted preview changes only the targets/);
    expect(fleet.poolSizeOnDisk()).toBe(5);
  });

  it("on dry run, reports what would stop the real update and fails nothing", () => {
    const fleet = createFleetStack({ workerCount: 3, poolBehaviour: { replaceOnChange: true } });
    const run = runAction(fleet, { eventName: "repository_dispatch", event: scaleUp, inputs: { "dry-run": "true" } });
    expect(run.code).toBe(0);
    expect(run.summary).toMatch(/Preview gate: the real update would stop here:\n- would replace the target "workers"/);
    expect(fleet.poolSizeOnDisk()).toBe(3);
  });
});
