import { z } from "zod";
import { ADJUSTMENT_FORMS, readAdjustment } from "../adapters/adjustment.js";
import { InputError } from "../errors.js";

const count = z.number().int().min(0).max(1_000_000);

/** One scalable thing in a stack: what to update, where its count lives, and its bounds. */
export const targetPolicySchema = z
  .object({
    /** URN of the resource that a targeted update changes. */
    urn: z.string().startsWith("urn:pulumi:"),
    /** Stack config key (without the project namespace, or with it) that holds the count. */
    config: z.string().min(1).max(200),
    /** The deployed count, as a stack output of the resource (so it is what really runs). */
    current: count,
    min: count,
    max: count,
    /** The largest change one run may make, in either direction. */
    maxStep: z.number().int().min(1).max(1_000_000).optional(),
    /** The update may replace or delete this resource (the preview gate refuses that otherwise). */
    allowReplace: z.boolean().optional(),
  })
  .refine((target) => target.min <= target.max, { message: "a number no greater than max", path: ["min"] });

const targetName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/);

/** "+2", "-1", "=5", read into an Adjustment once, when the policy is read. */
const adjustment = z.string().transform((text, context) => {
  const read = readAdjustment(text);
  if (read === undefined) {
    context.addIssue({ code: "custom", message: ADJUSTMENT_FORMS });
    return z.NEVER;
  }
  return read;
});

/** The sources whose signals are alerts, and so can be matched by a rule. */
export const alertSources = ["alertmanager", "cloudwatch"] as const;

/** A strict object whose unknown keys are named, with the keys it does take. */
function onlyKeys(allowed: readonly string[]) {
  return {
    error: (issue: z.core.$ZodRawIssue) =>
      issue.code === "unrecognized_keys"
        ? `only ${allowed.join(", ")} (found ${(issue.keys as string[]).map((key) => JSON.stringify(key)).join(", ")})`
        : undefined,
  };
}

/** What an alert must be for a rule to apply: every criterion given must hold. */
const matchSchema = z
  .strictObject(
    {
      /** The adapter that read the alert. */
      source: z.enum(alertSources, { error: alertSources.map((source) => JSON.stringify(source)).join(" or ") }).optional(),
      /** `alertname` (Alertmanager) or the alarm name (CloudWatch), exactly. */
      name: z.string().min(1).max(255).optional(),
      /** Labels (CloudWatch: dimensions, namespace, metric, region, account) that must all be equal. */
      labels: z.record(z.string().min(1).max(128), z.string().max(1024)).optional(),
    },
    onlyKeys(["source", "name", "labels"]),
  )
  .refine((match) => Object.keys(match).length > 0, { message: "at least one of source, name or labels" });

/**
 * Gives alerts a target and an adjustment. Unknown keys are errors, not ignored: a misspelt
 * `match` key would otherwise widen the rule to every alert.
 */
export const ruleSchema = z
  .strictObject(
    {
      match: matchSchema,
      target: targetName,
      /** While the alert fires (CloudWatch: ALARM). */
      firing: adjustment.optional(),
      /** When the alert resolves (CloudWatch: OK). Without it, a resolution changes nothing. */
      resolved: adjustment.optional(),
      /** When a CloudWatch alarm has too little data (INSUFFICIENT_DATA). Without it, nothing changes. */
      noData: adjustment.optional(),
      /** An annotation holding the alert's metric value, recorded with the signal. */
      valueFrom: z.string().min(1).max(128).optional(),
    },
    onlyKeys(["match", "target", "firing", "resolved", "noData", "valueFrom"]),
  )
  .refine((rule) => rule.firing ?? rule.resolved ?? rule.noData, {
    message: "at least one of firing, resolved or noData",
    path: ["firing"],
  });

export const policySchema = z
  .object({
    version: z.literal(1),
    targets: z
      .record(targetName, targetPolicySchema)
      .refine((targets) => Object.keys(targets).length > 0, { message: "at least one target" }),
    /** Applied to every alert, in order; see docs/events.md. */
    rules: z.array(ruleSchema).max(100).optional(),
  })
  .superRefine((policy, context) => {
    const known = Object.keys(policy.targets).map((name) => JSON.stringify(name));
    (policy.rules ?? []).forEach((rule, index) => {
      if (!Object.hasOwn(policy.targets, rule.target)) {
        context.addIssue({ code: "custom", path: ["rules", index, "target"], message: `a target of this policy (${known.join(", ")})` });
      }
    });
  });

export type TargetPolicy = z.infer<typeof targetPolicySchema>;
export type Rule = z.infer<typeof ruleSchema>;
export type Policy = z.infer<typeof policySchema>;

/**
 * Validates the policy read from the stack output `outputName`. Errors name the output path
 * (for example `pulumiscale.targets.workers.max`) and the value found there.
 */
export function parsePolicy(value: unknown, outputName: string): Policy {
  if (value === undefined) {
    throw new InputError(
      `stack output ${JSON.stringify(outputName)}`,
      value,
      `a scaling policy; export one from the Pulumi program (see docs/policy.md) and run pulumi up once, or set the policy-output input`,
    );
  }
  const result = policySchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = [outputName, ...issue.path.map(String)].join(".");
  return throwAt(path, valueAt(value, issue.path), issue.message);
}

function throwAt(path: string, value: unknown, message: string): never {
  // zod says "Invalid input: expected number, received string"; InputError says what was expected
  // and quotes the value itself.
  const expected = message.replace(/^Invalid input: expected /, "").replace(/, received \w+$/, "");
  throw new InputError(`policy ${path}`, value, expected);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
