import { InputError } from "../../src/errors.js";
import { parsePolicy } from "../../src/policy/schema.js";

const valid = {
  version: 1,
  targets: { workers: { urn: "urn:pulumi:dev::fleet::pool::workers", config: "workerCount", current: 3, min: 1, max: 10 } },
};
const withTarget = (overrides: Record<string, unknown>) => ({ ...valid, targets: { workers: { ...valid.targets.workers, ...overrides } } });

describe("parsePolicy", () => {
  it("accepts a valid policy and tolerates nothing missing", () => {
    expect(parsePolicy(valid, "pulumiscale")).toEqual(valid);
  });

  it.each([
    [undefined, 'stack output "pulumiscale": expected a scaling policy'],
    [{ ...valid, version: 2 }, "policy pulumiscale.version"],
    [withTarget({ max: "ten" }), 'policy pulumiscale.targets.workers.max: expected number, got "ten"'],
    [withTarget({ current: 2.5 }), "policy pulumiscale.targets.workers.current"],
    [withTarget({ urn: "workers" }), 'policy pulumiscale.targets.workers.urn'],
    [withTarget({ min: 5, max: 2 }), "policy pulumiscale.targets.workers.min: expected a number no greater than max, got 5"],
    [{ version: 1, targets: {} }, "policy pulumiscale.targets"],
  ])("rejects %j naming the path", (value, message) => {
    const parse = () => parsePolicy(value, "pulumiscale");
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(message);
  });
});

describe("parsePolicy: one target per resource and per config key", () => {
  const workers = valid.targets.workers;
  const api = { urn: "urn:pulumi:dev::fleet::pool::api", config: "apiCount", current: 2, min: 1, max: 10 };
  const policyOf = (targets: Record<string, unknown>) => ({ version: 1, targets });

  it.each<[string, unknown, string]>([
    [
      "a urn with a wildcard",
      policyOf({ workers: { ...workers, urn: "urn:pulumi:dev::fleet::pool::*" } }),
      'policy pulumiscale.targets.workers.urn: expected the resource\'s exact urn without "*" (a wildcard can match no resource or several), e.g. pool.urn, got "urn:pulumi:dev::fleet::pool::*"',
    ],
    [
      "a urn that is not a urn",
      policyOf({ workers: { ...workers, urn: "workers" } }),
      'policy pulumiscale.targets.workers.urn: expected a resource urn starting with urn:pulumi:, e.g. pool.urn, got "workers"',
    ],
    [
      "a urn that is only the prefix",
      policyOf({ workers: { ...workers, urn: "urn:pulumi:" } }),
      'policy pulumiscale.targets.workers.urn: expected a resource urn starting with urn:pulumi:, e.g. pool.urn, got "urn:pulumi:"',
    ],
    [
      "two targets on one urn",
      policyOf({ workers, api: { ...api, urn: workers.urn } }),
      `policy pulumiscale.targets.api.urn: expected a urn of its own: targets "workers" and "api" both have it, got "${workers.urn}"`,
    ],
    [
      "two targets on one config key",
      policyOf({ workers, api: { ...api, config: "workerCount" } }),
      'policy pulumiscale.targets.api.config: expected a config key of its own: targets "workers" and "api" both have it, got "workerCount"',
    ],
    [
      "a schedule name with a line break",
      policyOf({ workers: { ...workers, schedules: [{ name: "peak\npulumiscale-record: {}", cron: "0 8 * * *", duration: "1h", min: 2 }] } }),
      'policy pulumiscale.targets.workers.schedules.0.name: expected a name on one line, without control characters such as tabs or line breaks, got "peak\\npulumiscale-record: {}"',
    ],
  ])("rejects %s", (_name, value, message) => {
    const parse = () => parsePolicy(value, "pulumiscale");
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(message);
  });

  it("accepts targets that differ in both urn and config key", () => {
    expect(Object.keys(parsePolicy(policyOf({ workers, api }), "pulumiscale").targets)).toEqual(["workers", "api"]);
  });
});
