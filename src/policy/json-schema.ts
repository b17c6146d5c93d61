import { z } from "zod";
import { policySchema } from "./schema.js";

/** Where the generated schema is published, so editors can find it by URL or relative path. */
export const POLICY_SCHEMA_FILE = "docs/policy.schema.json";

/**
 * The policy's JSON Schema, generated from the zod schema so the two cannot drift: a test
 * compares it with the committed docs/policy.schema.json. It describes the policy as written
 * (durations as text, adjustments as "+2"); checks that need code (cron fields, time zones, step
 * intervals that touch) are only in parsePolicy.
 */
export function policyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(policySchema, { io: "input", target: "draft-2020-12" }),
    title: "PulumiScale scaling policy",
  };
}

/** The schema file's exact text. */
export function policyJsonSchemaText(): string {
  return `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
}
