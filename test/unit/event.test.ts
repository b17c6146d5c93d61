import { PayloadError } from "../../src/adapters/signal.js";
import { sameStack, signalsFromEvent } from "../../src/event.js";
import type { Settings } from "../../src/settings.js";

const settings: Settings = {
  stack: "dev",
  workDir: "/repo",
  policyOutput: "pulumiscale",
  dryRun: false,
  lockTimeoutMs: 1000,
  previewGate: true,
  targetDependents: false,
  commitBack: "auto",
  commitAuthor: "Scaler <scaler@example.com>",
  commitMethod: "auto",
  githubToken: "",
};

describe("signalsFromEvent", () => {
  it("reads a repository_dispatch delta, with or without source", () => {
    const expected = [{ target: "workers", adjustment: { type: "change", by: 2 }, source: "delta", reason: "requested +2" }];
    expect(signalsFromEvent({ name: "repository_dispatch", payload: { client_payload: { target: "workers", delta: 2 } } }, settings)).toEqual(expected);
    expect(
      signalsFromEvent({ name: "repository_dispatch", payload: { client_payload: { source: "delta", stack: "dev", target: "workers", delta: "+2" } } }, settings),
    ).toEqual(expected);
  });

  it("keeps the sender's reason and delivery id", () => {
    const payload = { client_payload: { source: "count", target: "workers", count: 4, reason: "launch day", id: "req-7" } };
    expect(signalsFromEvent({ name: "repository_dispatch", payload }, settings)).toEqual([
      { target: "workers", adjustment: { type: "exact", count: 4 }, source: "count", reason: "launch day", deliveryId: "req-7" },
    ]);
  });

  it("reads workflow_dispatch inputs, ignoring the empty ones", () => {
    const payload = { inputs: { target: "workers", delta: "", count: "6" } };
    expect(signalsFromEvent({ name: "workflow_dispatch", payload }, settings)).toEqual([
      { target: "workers", adjustment: { type: "exact", count: 6 }, source: "count", reason: "requested count 6" },
    ]);
  });

  it("prefers the action's own inputs over the event", () => {
    const withInputs: Settings = { ...settings, inputRequest: { target: "workers", delta: "-1" } };
    expect(signalsFromEvent({ name: "schedule", payload: {} }, withInputs)).toEqual([
      { target: "workers", adjustment: { type: "change", by: -1 }, source: "delta", reason: "requested -1" },
    ]);
  });

  it.each([
    ["repository_dispatch", { client_payload: [1, 2] }, "client_payload: expected an object, got [1,2]"],
    ["repository_dispatch", {}, "client_payload: expected an object, got nothing"],
    ["repository_dispatch", { client_payload: { target: "workers", delta: 1, count: 2 } }, "client_payload.source: expected one of"],
    ["repository_dispatch", { client_payload: { stack: "prod", target: "workers", delta: 1 } }, 'client_payload.stack: expected "dev"'],
    ["repository_dispatch", { client_payload: { target: "", delta: 1 } }, 'client_payload.target: expected a target name (letters, digits, _ . -), got ""'],
    ["workflow_dispatch", { inputs: { target: "workers" } }, "inputs.delta: expected a delta or a count: give one of the two workflow inputs"],
    [
      "workflow_dispatch",
      { inputs: { target: "workers", delta: "1", count: "4" } },
      'inputs.count: expected nothing when inputs.delta is also given (give one of them), got "4"',
    ],
    ["repository_dispatch", { client_payload: { stack: "my-org/web/prod", target: "workers", delta: 1 } }, 'client_payload.stack: expected "dev"'],
    ["repository_dispatch", { client_payload: { stack: 7, target: "workers", delta: 1 } }, 'client_payload.stack: expected "dev"'],
    ["workflow_dispatch", { inputs: { target: "workers", count: "-3" } }, 'inputs.count: expected a whole number from 0 to 1000000, got "-3"'],
  ])("%s %j is refused", (name, payload, message) => {
    const read = () => signalsFromEvent({ name, payload }, settings);
    expect(read).toThrow(PayloadError);
    expect(read).toThrow(message);
  });

  it("refuses events it cannot act on", () => {
    expect(() => signalsFromEvent({ name: "push", payload: {} }, settings)).toThrow("GITHUB_EVENT_NAME: expected repository_dispatch, workflow_dispatch or schedule");
  });
});

describe("sameStack", () => {
  it.each([
    ["prod", "prod", true],
    ["prod", "my-org/prod", true],
    ["prod", "my-org/web/prod", true],
    ["my-org/prod", "my-org/web/prod", true],
    ["my-org/web/prod", "my-org/web/prod", true],
    ["dev", "my-org/web/prod", false],
    ["other-org/prod", "my-org/web/prod", false],
    ["my-org/api/prod", "my-org/web/prod", false],
    ["my-org/prod", "other-org/prod", false],
  ])("%s and %s: %s", (a, b, same) => {
    expect(sameStack(a, b)).toBe(same);
    expect(sameStack(b, a)).toBe(same);
  });

  it("lets a relayed payload with the full name reach a step given the short name", () => {
    const payload = { client_payload: { stack: "organization/fleet/dev", target: "workers", delta: 1 } };
    expect(signalsFromEvent({ name: "repository_dispatch", payload }, settings)).toHaveLength(1);
  });
});
