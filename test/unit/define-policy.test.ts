// definePolicy's types check a policy where a Pulumi program writes it, with outputs for the
// values Pulumi computes, and stay in step with what parsePolicy accepts.
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { definePolicy, type RuleInput, type ScheduleInput, type TargetPolicyInput } from "../../src/policy/define.js";
import { parsePolicy, type ruleSchema, type scheduleSchema, type targetPolicySchema } from "../../src/policy/schema.js";

/** True only when A and B are the same type. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(value: Same<A, B>) => value;

// Every field parsePolicy knows, and no other, has a written type.
same<keyof TargetPolicyInput, keyof z.input<typeof targetPolicySchema>>(true);
same<keyof ScheduleInput, keyof z.input<typeof scheduleSchema>>(true);
same<keyof RuleInput, keyof z.input<typeof ruleSchema>>(true);
// What the written types allow, parsePolicy's input type allows too.
const _schedule = (written: ScheduleInput): z.input<typeof scheduleSchema> => written;
const _rule = (written: RuleInput): z.input<typeof ruleSchema> => written;

/** Compiled, never run: the shapes a Pulumi program writes, with outputs. */
function _inAProgram(
  pool: { urn: pulumi.Output<string>; size: pulumi.Output<number> },
  // aws.ecs.Service: desiredCount is Output<number | undefined>.
  service: { urn: pulumi.Output<string>; desiredCount: pulumi.Output<number | undefined> },
) {
  definePolicy({
    version: 1,
    targets: { api: { urn: service.urn, config: "apiCount", current: service.desiredCount, min: 1, max: 20 } },
  });
  definePolicy({
    version: 1,
    targets: { workers: { urn: pool.urn, config: "workerCount", current: pool.size, min: 1, max: 20, cooldown: { scaleOut: "1m" } } },
    rules: [{ match: { name: "HighCPU" }, target: "workers", firing: "+50%" }],
  });
  definePolicy({
    version: 1,
    targets: { workers: { urn: pool.urn, config: "workerCount", current: pool.size, min: 1, max: 20 } },
    // @ts-expect-error a rule must name a target of the policy
    rules: [{ match: { name: "HighCPU" }, target: "wrokers", firing: "+1" }],
  });
  definePolicy({
    version: 1,
    // @ts-expect-error a duration needs a unit
    targets: { workers: { urn: pool.urn, config: "workerCount", current: pool.size, min: 1, max: 20, scaleInStabilization: "10 minutes" } },
  });
  definePolicy({
    version: 1,
    // @ts-expect-error misspelt fields are errors
    targets: { workers: { urn: pool.urn, config: "workerCount", current: pool.size, min: 1, max: 20, maxStpe: 2 } },
  });
}

describe("definePolicy", () => {
  it("returns the policy as written, which parsePolicy accepts", () => {
    const written = definePolicy({
      version: 1,
      targets: {
        workers: {
          urn: "urn:pulumi:prod::web::pool::workers",
          config: "workerCount",
          current: 3,
          min: 1,
          max: 20,
          maxStep: 4,
          maxStepPercent: 50,
          cooldown: { scaleOut: "1m", scaleIn: 300 },
          scaleInStabilization: "10m",
          schedules: [{ cron: "0 8 * * MON-FRI", duration: "10h", timezone: "Europe/Berlin", min: 5 }],
        },
      },
      rules: [
        { match: { name: "HighCPU" }, target: "workers", firing: "+50%", resolved: "-1" },
        { match: { source: "cloudwatch" }, target: "workers", firing: { steps: [{ upper: 10, adjustment: "+1" }, { lower: 10, adjustment: "+3" }] } },
        { match: { name: "Load" }, target: "workers", firing: { targetValue: 60 }, valueFrom: "value" },
      ],
    });
    expect(parsePolicy(written, "pulumiscale").targets["workers"]).toMatchObject({ cooldown: { scaleOut: 60, scaleIn: 300 }, scaleInStabilization: 600 });
  });

  const ecs = (current: unknown) =>
    definePolicy({
      version: 1,
      targets: { api: { urn: "urn:pulumi:prod::web::aws:ecs/service:Service::api", config: "apiCount", current: current as number, min: 1, max: 20 } },
    }).targets.api.current;
  const message =
    "definePolicy: targets.api.current is undefined: it must be the deployed count. For an ECS service, set desiredCount on it " +
    "(service.desiredCount is undefined otherwise); for an Auto Scaling group, use pool.desiredCapacity.";
  /**
   * An output's value, or its error: the promise Pulumi itself awaits when it exports the
   * output. A failed output rejects its other internal promises too, which Pulumi's engine
   * handles and a bare test process would not; they are awaited here for the same reason.
   */
  const settled = (output: unknown) => {
    const internal = output as { promise(): Promise<unknown>; isKnown: Promise<boolean>; isSecret: Promise<boolean>; allResources?: () => Promise<unknown> };
    for (const other of [internal.isKnown, internal.isSecret, internal.allResources?.()]) other?.catch(() => undefined);
    return internal.promise();
  };

  it("fails, naming the target, when an ECS desiredCount output is undefined", async () => {
    await expect(settled(ecs(pulumi.output(undefined)))).rejects.toThrow(message);
    await expect(settled(ecs(pulumi.output(3)))).resolves.toBe(3);
  });

  it("checks plain values and promises too", async () => {
    expect(() => ecs(undefined)).toThrow(message);
    await expect(ecs(Promise.resolve(undefined))).rejects.toThrow(message);
    await expect(ecs(Promise.resolve(4))).resolves.toBe(4);
    expect(ecs(0)).toBe(0);
  });
});
