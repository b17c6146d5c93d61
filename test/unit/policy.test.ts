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
