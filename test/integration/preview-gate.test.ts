// The preview gate stops an update that would touch more than the target, before anything changes.
import { createFleetStack, runAction } from "../support/fleet.js";

const scaleUp = { client_payload: { target: "workers", delta: 2 } };

describe("the preview gate", () => {
  it("stops an update whose policy URN reaches other resources, naming them", () => {
    // A wildcard URN: --target would update every dynamic resource, the widgets included.
    const fleet = createFleetStack({
      workerCount: 3,
      extraResources: 2,
      policy: { workers: { urn: "urn:pulumi:dev::fleet::pulumi-nodejs:dynamic:Resource::*" } },
    });
    fleet.pulumi(["config", "set", "label", "v2"]);
    const state = fleet.stateFile();
    const config = fleet.configFile();
    const run = runAction(fleet, { eventName: "repository_dispatch", event: scaleUp });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/The preview gate stopped the update of stack "dev"; nothing was changed/);
    expect(run.stdout).toMatch(/would update urn:pulumi:dev::fleet::pulumi-nodejs:dynamic:Resource::widget-0, which is not a scaling target/);
    expect(run.stdout).toMatch(/would update urn:pulumi:dev::fleet::pulumi-nodejs:dynamic:Resource::widget-1, which is not a scaling target/);
    expect(fleet.stateFile()).toBe(state);
    expect(fleet.configFile()).toBe(config);
    expect(fleet.poolSizeOnDisk()).toBe(3);
    expect(fleet.widgetLabelOnDisk(0)).toBe("v1");
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
