import { z } from "zod";
import { ADJUSTMENT_FORMS, readAdjustment } from "../adapters/adjustment.js";
import { TARGET_NAME, valueAt } from "../adapters/fields.js";
import type { Adjustment, SimpleAdjustment } from "../adapters/signal.js";
import { InputError } from "../errors.js";
import { CRON_FORM, parseCron } from "./cron.js";

const MAX_COUNT = 1_000_000;
const count = z.number().int().min(0).max(MAX_COUNT);

/** A week: the longest cooldown or schedule window; longer ones outlive the history that remembers them. */
export const MAX_DURATION_SECONDS = 7 * 24 * 3600;
const DURATION_FORM = "a duration such as 90s, 5m, 2h or 1d, or a number of seconds";
const secondsPerUnit = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** "90s", "5m", "2h", "1d" or a number of seconds; read as seconds. */
function duration(minSeconds: number) {
  const limits = `${DURATION_FORM}, from ${minSeconds}s to 7d`;
  return z
    .union([z.number().int().min(0), z.string().regex(/^\d{1,7}[smhd]$/, { error: DURATION_FORM })], { error: DURATION_FORM })
    .transform((value) => (typeof value === "number" ? value : Number(value.slice(0, -1)) * secondsPerUnit[value.at(-1) as keyof typeof secondsPerUnit]))
    .refine((seconds) => seconds >= minSeconds && seconds <= MAX_DURATION_SECONDS, { error: limits });
}

/** Whether the runtime knows `name` as a time zone (Node ships the full IANA database). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A strict object whose unknown keys are named, with the keys it does take. */
function onlyKeys(allowed: readonly string[]) {
  return {
    error: (issue: z.core.$ZodRawIssue) =>
      issue.code === "unrecognized_keys"
        ? `only ${allowed.join(", ")} (found ${(issue.keys as string[]).map((key) => JSON.stringify(key)).join(", ")})`
        : undefined,
  };
}

/** Keys of a strict object schema, in order, for its "only …" error. */
function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, onlyKeys(Object.keys(shape)));
}

/** "+2", "-1", "+50%", "-10%", "=5", read into an adjustment once, when the policy is read. */
const writtenAdjustment = z
  .string()
  .transform((text, context): SimpleAdjustment => {
    const read = readAdjustment(text);
    if (read === undefined) {
      context.addIssue({ code: "custom", message: ADJUSTMENT_FORMS });
      return z.NEVER;
    }
    return read;
  })
  .describe(`${ADJUSTMENT_FORMS}. A percentage is of the deployed count, rounded toward zero but at least one unit.`);

const stepIntervalSchema = strict({
  lower: z.number().optional().describe("Lower bound of the breach (metric value minus threshold); unbounded when missing."),
  upper: z.number().optional().describe("Upper bound of the breach; unbounded when missing."),
  adjustment: writtenAdjustment,
});

/**
 * AWS StepAdjustments: intervals of the breach, in ascending order, each starting where the
 * previous one ends, so every breach has at most one step.
 */
const stepsSchema = strict({
  steps: z
    .array(stepIntervalSchema)
    .min(1)
    .max(20)
    .superRefine((steps, context) => {
      steps.forEach((step, index) => {
        if (step.lower !== undefined && step.upper !== undefined && step.lower >= step.upper) {
          context.addIssue({ code: "custom", path: [index, "upper"], message: `a number greater than lower (${step.lower}): an interval may not be empty` });
        }
        if (index > 0 && step.lower === undefined) {
          context.addIssue({ code: "custom", path: [index, "lower"], message: "a lower bound: only the first step may be unbounded below" });
        }
        if (index < steps.length - 1 && step.upper === undefined) {
          context.addIssue({ code: "custom", path: [index, "upper"], message: "an upper bound: only the last step may be unbounded above" });
        }
        const previous = steps[index - 1];
        if (previous?.upper !== undefined && step.lower !== undefined && step.lower !== previous.upper) {
          context.addIssue({
            code: "custom",
            path: [index, "lower"],
            message: `${previous.upper}, the upper bound of the step before: steps are contiguous, in ascending order, and do not overlap`,
          });
        }
      });
    }),
}).describe("Step adjustment by breach size (AWS StepAdjustments). Needs the alert's metric value and a threshold.");

const trackSchema = strict({
  targetValue: z.number().positive().describe("The metric value to hold. The count becomes ceil(current × value / targetValue)."),
  tolerancePercent: z
    .number()
    .min(0)
    .max(99)
    .default(10)
    .describe("No change while the value lies within this percentage of targetValue. Default 10."),
}).describe("Target tracking from the alert's metric value.");

const RULE_ADJUSTMENT_FORMS = `${ADJUSTMENT_FORMS}, { steps: [...] } or { targetValue: N }`;

/** What a rule does for one alert status: a written adjustment, steps by breach, or target tracking. */
const ruleAdjustment = z
  .union([writtenAdjustment, stepsSchema, trackSchema], { error: RULE_ADJUSTMENT_FORMS })
  .transform((value): Adjustment => {
    if ("type" in value) return value;
    if ("steps" in value) {
      return {
        type: "steps",
        steps: value.steps.map(({ lower, upper, adjustment }) => ({
          ...(lower === undefined ? {} : { lower }),
          ...(upper === undefined ? {} : { upper }),
          adjustment,
        })),
      };
    }
    return { type: "track", targetValue: value.targetValue, tolerancePercent: value.tolerancePercent };
  });

/** A window, opened by each minute a cron expression matches, that moves a target's bounds while it lasts. */
export const scheduleSchema = strict({
  // Shown in the update message, whose lines must stay as written.
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[^\p{Cc}\u2028\u2029]*$/u, { error: "a name on one line, without control characters such as tabs or line breaks" })
    .optional()
    .describe("Shown in decisions; defaults to schedules[i]."),
  cron: z
    .string()
    .superRefine((text, context) => {
      const cron = parseCron(text);
      if ("problem" in cron) context.addIssue({ code: "custom", message: `${CRON_FORM} (${cron.problem})` });
    })
    .describe("When a window opens, in the schedule's time zone: minute hour day-of-month month day-of-week."),
  duration: duration(60).describe("How long each window stays open, from the minute the cron expression matches."),
  timezone: z
    .string()
    .refine(isTimeZone, { error: "an IANA time zone such as Europe/Berlin, America/New_York or UTC" })
    .default("UTC")
    .describe("IANA time zone of the cron expression. Default UTC."),
  min: count.optional().describe("Raises the floor while the window is open."),
  max: count.optional().describe("Lowers the ceiling while the window is open."),
  count: count.optional().describe("Holds exactly this count while the window is open (both floor and ceiling)."),
}).superRefine((schedule, context) => {
  if (schedule.min === undefined && schedule.max === undefined && schedule.count === undefined) {
    context.addIssue({ code: "custom", path: ["min"], message: "at least one of min, max or count" });
  }
  if (schedule.count !== undefined && (schedule.min !== undefined || schedule.max !== undefined)) {
    context.addIssue({ code: "custom", path: ["count"], message: "no count when min or max is given (count sets both)" });
  }
  if (schedule.min !== undefined && schedule.max !== undefined && schedule.min > schedule.max) {
    context.addIssue({ code: "custom", path: ["min"], message: "a number no greater than max" });
  }
});

/** One scalable thing in a stack: what to update, where its count lives, its bounds and its pace. */
export const targetPolicySchema = strict({
  urn: z
    .string()
    .regex(/^urn:pulumi:[^*]+$/, {
      // A wildcard may match no resource or several, and the update must change exactly this one.
      error: (issue) =>
        typeof issue.input === "string" && issue.input.includes("*")
          ? "the resource's exact urn without \"*\" (a wildcard can match no resource or several), e.g. pool.urn"
          : "a resource urn starting with urn:pulumi:, e.g. pool.urn",
    })
    .describe("URN of the resource that a targeted update changes: the exact urn, starting with urn:pulumi: and without *."),
  config: z.string().min(1).max(200).describe("Stack config key (with or without the project namespace) that holds the count."),
  current: count.describe("The deployed count, as a stack output of the resource, so it is what really runs."),
  min: count.describe("The smallest count, for every source."),
  max: count.describe("The largest count, for every source."),
  maxStep: z.number().int().min(1).max(MAX_COUNT).optional().describe("The largest change one run may make, in either direction."),
  maxStepPercent: z
    .number()
    .positive()
    .max(10_000)
    .optional()
    .describe("The largest change one run may make, as a percentage of the deployed count (rounded toward zero, at least one)."),
  cooldown: strict({
    scaleOut: duration(0).optional().describe("After a scale-out, alerts may only scale out further than it did."),
    scaleIn: duration(0).optional().describe("After a scale-in, alerts may not scale in again; a scale-out ends it."),
  })
    .optional()
    .describe("Per direction, how long alerts wait after a scaling. Requests (delta, count) are not held."),
  scaleInStabilization: duration(0).optional().describe("Alerts may scale in only this long after the last scale-out."),
  schedules: z.array(scheduleSchema).max(20).optional().describe("Windows that raise the floor, lower the ceiling or hold a count."),
  allowReplace: z.boolean().optional().describe("The update may replace or delete this resource (the preview gate refuses that otherwise)."),
}).superRefine((target, context) => {
  if (target.min > target.max) context.addIssue({ code: "custom", path: ["min"], message: "a number no greater than max" });
  (target.schedules ?? []).forEach((schedule, index) => {
    for (const key of ["min", "max", "count"] as const) {
      const value = schedule[key];
      if (value !== undefined && (value < target.min || value > target.max)) {
        context.addIssue({
          code: "custom",
          path: ["schedules", index, key],
          message: `a count from ${target.min} to ${target.max} (the target's min and max)`,
        });
      }
    }
  });
});

const targetName = z.string().regex(TARGET_NAME);

/** The sources whose signals are alerts, and so can be matched by a rule. */
export const alertSources = ["alertmanager", "azure-monitor", "cloudwatch", "datadog", "google-cloud-monitoring", "grafana"] as const;

/** What an alert must be for a rule to apply: every criterion given must hold. */
const matchSchema = strict({
  source: z
    .enum(alertSources, { error: alertSources.map((source) => JSON.stringify(source)).join(" or ") })
    .optional()
    .describe("The adapter that read the alert."),
  name: z.string().min(1).max(255).optional().describe("alertname (Alertmanager) or the alarm name (CloudWatch), exactly."),
  labels: z
    .record(z.string().min(1).max(128), z.string().max(1024))
    .optional()
    .describe("Labels (CloudWatch: dimensions, namespace, metric, region, account) that must all be equal."),
}).refine((match) => Object.keys(match).length > 0, { message: "at least one of source, name or labels" });

/**
 * Gives alerts a target and an adjustment. Unknown keys are errors, not ignored: a misspelt
 * `match` key would otherwise widen the rule to every alert.
 */
export const ruleSchema = strict({
  match: matchSchema,
  target: targetName.describe("A target of this policy."),
  firing: ruleAdjustment.optional().describe("While the alert fires (CloudWatch: ALARM)."),
  resolved: ruleAdjustment.optional().describe("When the alert resolves (CloudWatch: OK). Without it, a resolution changes nothing."),
  noData: ruleAdjustment.optional().describe("When a CloudWatch alarm has too little data. Without it, nothing changes."),
  valueFrom: z.string().min(1).max(128).optional().describe("An annotation holding the alert's metric value."),
  threshold: z.number().optional().describe("The threshold that steps measure the breach from; defaults to the alarm's own."),
}).refine((rule) => rule.firing ?? rule.resolved ?? rule.noData, {
  message: "at least one of firing, resolved or noData",
  path: ["firing"],
});

export const policySchema = z
  .strictObject(
    {
      version: z.literal(1),
      targets: z
        .record(targetName, targetPolicySchema)
        .refine((targets) => Object.keys(targets).length > 0, { message: "at least one target" })
        .describe("One entry per scalable thing; the key is the name events use."),
      rules: z.array(ruleSchema).max(100).optional().describe("Applied to every alert, in order; see docs/events.md."),
    },
    onlyKeys(["version", "targets", "rules"]),
  )
  .superRefine((policy, context) => {
    // Two targets on one resource would both claim its count, and two on one config key would
    // overwrite each other's count: whichever is applied last would win.
    for (const field of ["urn", "config"] as const) {
      const first = new Map<string, string>();
      for (const [name, target] of Object.entries(policy.targets)) {
        const earlier = first.get(target[field]);
        if (earlier === undefined) {
          first.set(target[field], name);
        } else {
          context.addIssue({
            code: "custom",
            path: ["targets", name, field],
            message: `a ${field === "urn" ? "urn" : "config key"} of its own: targets ${JSON.stringify(earlier)} and ${JSON.stringify(name)} both have it`,
          });
        }
      }
    }
    const known = Object.keys(policy.targets).map((name) => JSON.stringify(name));
    (policy.rules ?? []).forEach((rule, index) => {
      if (!Object.hasOwn(policy.targets, rule.target)) {
        context.addIssue({ code: "custom", path: ["rules", index, "target"], message: `a target of this policy (${known.join(", ")})` });
      }
    });
  })
  .describe("PulumiScale scaling policy, exported by the Pulumi program as a stack output (default name pulumiscale).");

export type TargetPolicy = z.infer<typeof targetPolicySchema>;
export type Schedule = z.infer<typeof scheduleSchema>;
export type Rule = z.infer<typeof ruleSchema>;
export type Policy = z.infer<typeof policySchema>;
/** The policy as written, before durations and adjustments are read. */
export type PolicyInput = z.input<typeof policySchema>;

/**
 * Validates the policy read from the stack output `outputName`. Errors name the output path
 * (for example `pulumiscale.targets.workers.max`), quote the value found there and say what was
 * expected.
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
  const { path, message } = innermost(result.error.issues[0]!);
  const at = [outputName, ...path.map(String)].join(".");
  // A bad key is quoted itself; its value is not the problem.
  const found = path.length > 0 && message.startsWith("a key") ? path.at(-1) : valueAt(value, path);
  return throwAt(at, found, message);
}

/**
 * The issue to report, with its full path. For a union (an adjustment, a duration), the branch
 * that fits the value's shape: branches that refuse the value's type, or keys it has, do not.
 */
function innermost(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[] = []): { path: PropertyKey[]; message: string } {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union") {
    const fitting = issue.errors.filter(
      (branch) => !branch.some((inner) => inner.path.length === 0 && (inner.code === "invalid_type" || inner.code === "unrecognized_keys")),
    );
    if (fitting.length === 1 && fitting[0]![0]) return innermost(fitting[0]![0], path);
  }
  if (issue.code === "invalid_key") {
    const inner = issue.issues[0];
    return { path, message: inner ? `a key that is ${describe(inner.message)}` : "a valid key" };
  }
  if (issue.code === "too_small" || issue.code === "too_big") {
    const exclusive = issue.inclusive === false;
    const bound =
      issue.code === "too_small"
        ? `${exclusive ? "greater than" : "at least"} ${issue.minimum}`
        : `${exclusive ? "less than" : "at most"} ${issue.maximum}`;
    const what = issue.origin === "string" ? `text of ${bound} characters` : issue.origin === "array" ? `a list of ${bound} items` : `a number ${bound}`;
    return { path, message: what };
  }
  return { path, message: describe(issue.message) };
}

function describe(message: string): string {
  // zod says "Invalid input: expected number, received string"; InputError says what was expected
  // and quotes the value itself.
  return message.replace(/^Invalid (input|string): (expected )?/, "").replace(/, received \w+$/, "");
}

function throwAt(path: string, value: unknown, message: string): never {
  throw new InputError(`policy ${path}`, value, message);
}
