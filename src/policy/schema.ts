import { z } from "zod";
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
  })
  .refine((target) => target.min <= target.max, { message: "a number no greater than max", path: ["min"] });

export const policySchema = z.object({
  version: z.literal(1),
  targets: z
    .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/), targetPolicySchema)
    .refine((targets) => Object.keys(targets).length > 0, { message: "at least one target" }),
});

export type TargetPolicy = z.infer<typeof targetPolicySchema>;
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
