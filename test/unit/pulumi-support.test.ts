import { projectSetting, secretValues } from "../../src/pulumi/cli-runner.js";
import { summariseEventLog } from "../../src/pulumi/events.js";
import { backoffDelays, retry } from "../../src/pulumi/retry.js";
import { unsuitableVersion } from "../../src/pulumi/version.js";

describe("summariseEventLog", () => {
  const pool = "urn:pulumi:dev::fleet::pulumi-nodejs:dynamic:Resource::workers";
  const stack = "urn:pulumi:dev::fleet::pulumi:pulumi:Stack::fleet-dev";
  const lines = [
    JSON.stringify({ sequence: 0, cancelEvent: {} }),
    JSON.stringify({ sequence: 1, resourcePreEvent: { metadata: { op: "same", urn: stack, type: "pulumi:pulumi:Stack" } } }),
    JSON.stringify({ sequence: 2, resourcePreEvent: { metadata: { op: "update", urn: pool, type: "pulumi-nodejs:dynamic:Resource" } } }),
    "not json",
    JSON.stringify({ sequence: 3, summaryEvent: { resourceChanges: { same: 2, update: 1 }, durationSeconds: 3 } }),
  ];

  it("reads the steps and the summary's operation counts", () => {
    expect(summariseEventLog(lines.join("\n"))).toEqual({
      operations: { same: 2, update: 1 },
      steps: [
        { urn: stack, op: "same" },
        { urn: pool, op: "update" },
      ],
      pendingOperationWarnings: [],
    });
  });

  it("keeps warnings about operations a crashed run left pending", () => {
    const warning = JSON.stringify({
      diagnosticEvent: { severity: "warning", message: "<{%reset%}>Attempting to deploy or update resources with 1 pending operations from previous deployment.<{%reset%}>\n" },
    });
    expect(summariseEventLog([warning, ...lines].join("\n")).pendingOperationWarnings).toEqual([
      "Attempting to deploy or update resources with 1 pending operations from previous deployment.",
    ]);
  });

  it("counts the steps when the log was cut short before the summary", () => {
    expect(summariseEventLog(lines.slice(0, 3).join("\n")).operations).toEqual({ same: 1, update: 1 });
  });
});

describe("unsuitableVersion", () => {
  it.each([
    ["v3.274.1\n", undefined],
    ["3.224.0", undefined],
    ["v3.223.9", "it is older than 3.224.0"],
    ["v3.170.0", "it is older than 3.224.0"],
    ["v3.66.0", "it is older than 3.224.0"],
    ["v3.120.0", "it is older than 3.224.0"],
    ["v4.0.0-alpha.1", undefined],
    ["devel", 'cannot read the version "devel"'],
  ])("%s → %s", (version, problem) => {
    expect(unsuitableVersion(version)).toBe(problem);
  });
});

describe("backoffDelays", () => {
  it.each([
    [0, []],
    [4000, [1000, 2000, 1000]],
    [60_000, [1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]],
  ])("for %i ms waits %j", (timeout, delays) => {
    expect(backoffDelays(timeout)).toEqual(delays);
    expect(delays.reduce((a, b) => a + b, 0)).toBe(timeout);
  });
});

describe("retry", () => {
  it("retries what may be retried and stops at the first other error", async () => {
    const seen: number[] = [];
    const attempt = async (n: number) => {
      seen.push(n);
      if (n < 3) throw new Error("locked");
      if (n === 3) throw new Error("broken");
      return n;
    };
    await expect(retry(attempt, (e) => (e as Error).message === "locked", [0, 0, 0, 0], () => {})).rejects.toThrow("broken");
    expect(seen).toEqual([1, 2, 3]);
  });

  it("rethrows the last retryable error when the delays run out", async () => {
    let calls = 0;
    const attempt = async () => {
      calls++;
      throw new Error("locked");
    };
    await expect(retry(attempt, () => true, [0, 0], () => {})).rejects.toThrow("locked");
    expect(calls).toBe(3);
  });

  it("makes no attempt once cancelled", async () => {
    const abort = new AbortController();
    abort.abort();
    let calls = 0;
    const attempt = async () => ++calls;
    await expect(retry(attempt, () => true, [0], () => {}, abort.signal)).rejects.toThrow();
    expect(calls).toBe(0);
  });
});

describe("projectSetting", () => {
  const project = `name: fleet
runtime:
  name: nodejs
stackConfigDir: "config/stacks" # where Pulumi.<stack>.yaml live
description: A worker pool
`;

  it.each([
    ["name", "fleet"],
    ["stackConfigDir", "config/stacks"],
    ["description", "A worker pool"],
    ["backend", undefined],
  ])("reads %s", (key, value) => {
    expect(projectSetting(project, key)).toBe(value);
  });

  it("does not read nested keys", () => {
    expect(projectSetting("runtime:\n  name: nodejs\n", "name")).toBeUndefined();
  });
});

describe("secretValues", () => {
  it("finds what stood behind each placeholder, at any depth", () => {
    const masked = { pulumiscale: { version: 1, targets: { workers: { max: "[secret]", min: 1, urn: "urn:x" } } }, token: "[secret]", plain: "a" };
    const decrypted = { pulumiscale: { version: 1, targets: { workers: { max: 12, min: 1, urn: "urn:x" } } }, token: { id: "abc", key: "s3cr3t" }, plain: "a" };
    expect(secretValues(masked, decrypted).sort()).toEqual(["12", "abc", "s3cr3t"]);
  });

  it("finds none when nothing was secret", () => {
    expect(secretValues({ a: 1, b: [1, 2] }, { a: 1, b: [1, 2] })).toEqual([]);
  });
});
