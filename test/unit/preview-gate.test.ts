import { checkPlan, type GatedTarget } from "../../src/safety/preview-gate.js";

const pool = "urn:pulumi:dev::fleet::pulumi-nodejs:dynamic:Resource::workers";
const widget = "urn:pulumi:dev::fleet::pulumi-nodejs:dynamic:Resource::widget-0";
const stack = "urn:pulumi:dev::fleet::pulumi:pulumi:Stack::fleet-dev";
const provider = "urn:pulumi:dev::fleet::pulumi:providers:pulumi-nodejs::default";
const workers: GatedTarget = { name: "workers", urn: pool, allowReplace: false };

describe("checkPlan", () => {
  it.each([
    ["an in-place update of the target", [{ urn: stack, op: "same" }, { urn: pool, op: "update" }, { urn: widget, op: "same" }], []],
    ["the provider the target uses being updated", [{ urn: provider, op: "update" }, { urn: pool, op: "update" }], []],
    [
      "a plan that leaves the target alone",
      [{ urn: pool, op: "same" }],
      [
        `would not change the target "workers" (${pool}): check that its urn is the resource's exact URN and that the program reads the count from its config key`,
      ],
    ],
    [
      "another resource being updated",
      [{ urn: pool, op: "update" }, { urn: widget, op: "update" }],
      [`would update ${widget}, which is not a scaling target`],
    ],
    [
      "a provider being replaced",
      [{ urn: provider, op: "replace" }, { urn: pool, op: "update" }],
      [`would replace ${provider}, which is not a scaling target`],
    ],
    [
      "the target being replaced",
      [{ urn: pool, op: "create-replacement" }, { urn: pool, op: "replace" }, { urn: pool, op: "delete-replaced" }],
      [`would replace the target "workers" (${pool}); set allowReplace: true on the target in the policy if that is intended`],
    ],
    [
      "the target being deleted",
      [{ urn: pool, op: "delete" }],
      [`would delete the target "workers" (${pool}); set allowReplace: true on the target in the policy if that is intended`],
    ],
  ])("%s", (_name, steps, violations) => {
    expect(checkPlan(steps, [workers], false)).toEqual(violations);
  });

  it("allows replacing a target whose policy says so", () => {
    expect(checkPlan([{ urn: pool, op: "replace" }], [{ ...workers, allowReplace: true }], false)).toEqual([]);
  });

  it("allows in-place updates of dependents when target-dependents is on", () => {
    expect(checkPlan([{ urn: pool, op: "update" }, { urn: widget, op: "update" }], [workers], true)).toEqual([]);
  });

  it.each([["replace"], ["create-replacement"], ["delete"]])("refuses a dependent's %s even when target-dependents is on", (op) => {
    const loss = op === "delete" ? "delete" : "replace";
    expect(checkPlan([{ urn: pool, op: "update" }, { urn: widget, op }], [workers], true)).toEqual([
      `would ${loss} ${widget}, which depends on a scaling target; only in-place updates of dependents are allowed`,
    ]);
  });
});
