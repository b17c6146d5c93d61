import { z } from "zod";
import { quote } from "../errors.js";
import { PayloadError } from "./signal.js";

/** The largest count or delta any source may ask for; anything larger is a mistake, not a plan. */
export const MAX_MAGNITUDE = 1_000_000;

const integerText = /^[+-]?\d{1,7}$/;

/** Reads an integer given as a JSON number or as text such as "+2" (workflow inputs are text). */
export function readInteger(value: unknown, path: string, options: { min: number; max: number }): number {
  const number =
    typeof value === "number" ? value : typeof value === "string" && integerText.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number)) {
    throw new PayloadError(path, `expected a whole number, got ${quote(value)}`);
  }
  if (number < options.min || number > options.max) {
    throw new PayloadError(path, `expected a whole number from ${options.min} to ${options.max}, got ${quote(value)}`);
  }
  return number;
}

/** A policy target name: letters, digits, `_`, `.`, `-`, at most 63 characters. Events and the policy share it. */
export const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

const targetName = z.string().regex(TARGET_NAME);

/** Reads a policy target name: letters, digits, `_`, `.`, `-`, at most 63 characters. */
export function readTargetName(value: unknown, path: string): string {
  const result = targetName.safeParse(value);
  if (!result.success) {
    throw new PayloadError(path, `expected a target name (letters, digits, _ . -), got ${quote(value)}`);
  }
  return result.data;
}

// C0 and C1 controls (\p{Cc}: tab, line feed, carriage return, escape, next line, ...) and the
// Unicode line and paragraph separators, which some readers also break lines at.
const controlCharacters = /[\p{Cc}\u2028\u2029]+/gu;

/**
 * Free text on one line: every run of control characters becomes one space. Reasons and ids
 * reach the update message, whose record line is found by its start, and the job log, where a
 * line starting with `::` is a workflow command; a line break in them could forge either.
 */
export function oneLine(text: string): string {
  return text.replace(controlCharacters, " ");
}

/**
 * Reads optional free text such as a reason or a delivery id, bounded so summaries stay small,
 * on one line (see oneLine). Text that is only blanks and control characters counts as none.
 */
export function readOptionalText(value: unknown, path: string, maxLength: number): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || value.length > maxLength) {
    throw new PayloadError(path, `expected text of at most ${maxLength} characters, got ${quote(value)}`);
  }
  const text = oneLine(value).trim();
  return text === "" ? undefined : text;
}

const jsonTypeNames: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "an object",
  array: "an array",
  record: "an object",
};

/** `alerts[0].labels.alertname`, `detail["detail-type"]`: a JSON path as a reader would write it. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key) =>
      typeof key === "number"
        ? `[${key}]`
        : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(String(key))
          ? `.${String(key)}`
          : `[${JSON.stringify(String(key))}]`,
    )
    .join("");
}

/** The value at `path` inside `value`, or undefined where the path leads nowhere (own keys only). */
export function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** What a zod issue expected, in words. Schemas give their own text for anything unusual. */
function expectation(issue: z.core.$ZodIssue): string {
  if (issue.message.startsWith("expected ")) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `expected ${jsonTypeNames[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return `expected ${issue.values.map((value) => JSON.stringify(value)).join(" or ")}`;
    case "too_big":
    case "too_small": {
      const bound = issue.code === "too_big" ? `at most ${issue.maximum}` : `at least ${issue.minimum}`;
      const unit = issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : "";
      const what = issue.origin === "string" ? "text of" : issue.origin === "array" ? "a list of" : "a number of";
      return `expected ${what} ${bound}${unit}`;
    }
    case "invalid_key": {
      const inner = issue.issues[0];
      return inner ? expectation(inner).replace(/^expected (text of )?/, "expected a key of ") : "expected a valid key";
    }
    default:
      return `expected ${issue.message}`;
  }
}

/**
 * Validates `value` with `schema`. The first problem becomes a PayloadError that names the path
 * below `path`, quotes the value found there and says what was expected.
 */
export function readWith<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  // A bad key is quoted itself; its value is not the problem.
  const found = issue.code === "invalid_key" ? issue.path.at(-1) : valueAt(value, issue.path);
  throw new PayloadError(`${path}${formatPath(issue.path)}`, `${expectation(issue)}, got ${quote(found)}`);
}

/**
 * A map of short texts (labels, annotations, dimensions), bounded so one alert cannot fill a
 * summary: at most `entries` keys of at most 128 characters, values of at most `valueLength`.
 */
export function textMap(entries: number, valueLength: number) {
  return z
    .record(z.string().max(128), z.string().max(valueLength))
    .refine((map) => Object.keys(map).length <= entries, { message: `expected at most ${entries} entries` });
}

/** Shortens text for a reason line; payload fields are bounded, but reasons join several. */
export function clip(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}
