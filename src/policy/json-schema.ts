import { z } from "zod";
import { ADJUSTMENT_FORMS, MAX_PERCENT } from "../adapters/adjustment.js";
import { MAX_MAGNITUDE } from "../adapters/fields.js";
import { CRON_MACROS } from "./cron.js";
import { rangePattern } from "./range-pattern.js";
import { MAX_DURATION_SECONDS, MAX_LIMIT_PERCENT, policySchema } from "./schema.js";

/** Where the generated schema is published, so editors can find it by URL or relative path. */
export const POLICY_SCHEMA_FILE = "docs/policy.schema.json";

type JsonSchema = Record<string, unknown>;

/**
 * The policy's JSON Schema, generated from the zod schema so the two cannot drift: a test
 * compares it with the committed docs/policy.schema.json. It describes the policy as written
 * (durations as text, adjustments as "+2"). zod writes only the checks it can translate itself;
 * `tighten` adds those that parsePolicy makes in code and JSON Schema can still say (see
 * docs/policy.md, "Validating it in an editor", for the few it cannot).
 */
export function policyJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(policySchema, { io: "input", target: "draft-2020-12" }) as JsonSchema;
  tighten(schema);
  return { ...schema, title: "PulumiScale scaling policy" };
}

/** The schema file's exact text. */
export function policyJsonSchemaText(): string {
  return `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
}

/**
 * The node at a JSON Pointer of the generated schema. Throws when it is missing, so a change to
 * the zod schema that moves a field fails the schema test instead of silently losing a check.
 */
function at(schema: JsonSchema, pointer: string): JsonSchema {
  let node: unknown = schema;
  for (const key of pointer.split("/").slice(1)) {
    node = typeof node === "object" && node !== null ? (node as JsonSchema)[key] : undefined;
    if (node === undefined) throw new Error(`policy JSON Schema: nothing at ${pointer} (the zod schema changed; update json-schema.ts)`);
  }
  return node as JsonSchema;
}

/** Requires at least one of `keys`. */
const oneOfKeys = (keys: readonly string[]) => ({ anyOf: keys.map((key) => ({ required: [key] })) });

/** The checks parsePolicy makes in code, as JSON Schema. */
function tighten(schema: JsonSchema): void {
  const target = at(schema, "/properties/targets/additionalProperties");
  for (const pointer of ["/properties/cooldown/properties/scaleOut", "/properties/cooldown/properties/scaleIn", "/properties/cooldown/properties/toZero", "/properties/scaleInStabilization"]) {
    boundDuration(at(target, pointer), 0);
  }
  // scaleInStabilization is the older name of behavior.scaleDown.stabilizationWindowSeconds: not both.
  target["not"] = {
    required: ["scaleInStabilization", "behavior"],
    properties: { behavior: { required: ["scaleDown"], properties: { scaleDown: { required: ["stabilizationWindowSeconds"] } } } },
  };
  for (const [direction, largest] of [
    ["scaleUp", MAX_LIMIT_PERCENT],
    ["scaleDown", 100],
  ] as const) {
    Object.assign(at(target, `/properties/behavior/properties/${direction}/properties/policies/items`), {
      if: { properties: { type: { const: "Percent" } }, required: ["type"] },
      then: { properties: { value: { maximum: largest } } },
    });
  }

  const schedule = at(target, "/properties/schedules/items");
  boundDuration(at(schedule, "/properties/duration"), 60);
  // At least one of min, max and count; count sets both, so not with either.
  Object.assign(schedule, oneOfKeys(["min", "max", "count"]), { not: { required: ["count"], ...oneOfKeys(["min", "max"]) } });
  at(schedule, "/properties/cron")["pattern"] = CRON_PATTERN;
  // IANA names: letters, digits, "_", "-", "+" and "/", never starting with a sign (+05:30 is an offset).
  at(schedule, "/properties/timezone")["pattern"] = "^[A-Za-z][A-Za-z0-9_+/-]*$";

  const rule = at(schema, "/properties/rules/items");
  Object.assign(rule, oneOfKeys(["firing", "resolved", "noData"]));
  at(rule, "/properties/match")["minProperties"] = 1;
  for (const key of ["firing", "resolved", "noData"]) patternWrittenAdjustments(at(rule, `/properties/${key}`));
}

/**
 * A duration field from `minSeconds` to a week: a whole number of seconds, or digits and a unit
 * whose value lies in the same range (1m is the least a schedule's window lasts, so "0s" and
 * "59s" are refused there, as parsePolicy refuses them).
 */
function boundDuration(node: JsonSchema, minSeconds: number): void {
  const [seconds, text] = node["anyOf"] as [JsonSchema, JsonSchema];
  seconds["minimum"] = minSeconds;
  seconds["maximum"] = MAX_DURATION_SECONDS;
  const units = Object.entries({ s: 1, m: 60, h: 3600, d: 86_400 }).map(
    ([unit, size]) => `${rangePattern(Math.ceil(minSeconds / size), Math.floor(MAX_DURATION_SECONDS / size))}${unit}`,
  );
  // Digits as zod reads them (one to seven, leading zeros allowed), then the value in range.
  text["pattern"] = `^(?=\\d{1,7}[smhd]$)0*(?:${units.join("|")})$`;
}

/** Five fields of cron characters, or one of the macros (in any case, as parseCron reads them). */
const CRON_PATTERN = (() => {
  const field = "[0-9A-Za-z*/,-]+";
  const anyCase = (word: string) => [...word].map((letter) => (/[a-z]/.test(letter) ? `[${letter}${letter.toUpperCase()}]` : letter)).join("");
  const macros = Object.keys(CRON_MACROS).map((macro) => anyCase(macro.slice(1)));
  return `^\\s*(?:@(?:${macros.join("|")})|${field}(?:\\s+${field}){4})\\s*$`;
})();

/** "+2", "-1", "=5" up to the largest magnitude; "+50%", "-10%" up to the largest percentage. */
const WRITTEN_ADJUSTMENT_PATTERN = `^\\s*(?=[+=-]\\d{1,7}%?\\s*$)(?:[+-]0*${rangePattern(0, MAX_PERCENT)}%|[+=-]0*${rangePattern(0, MAX_MAGNITUDE)})\\s*$`;

/** Gives every written adjustment (a string described by ADJUSTMENT_FORMS) under `node` its pattern. */
function patternWrittenAdjustments(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(patternWrittenAdjustments);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const schema = node as JsonSchema;
  if (schema["type"] === "string" && typeof schema["description"] === "string" && schema["description"].startsWith(ADJUSTMENT_FORMS)) {
    schema["pattern"] = WRITTEN_ADJUSTMENT_PATTERN;
  }
  Object.values(schema).forEach(patternWrittenAdjustments);
}
