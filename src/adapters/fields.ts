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

const targetName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/);

/** Reads a policy target name: letters, digits, `_`, `.`, `-`, at most 63 characters. */
export function readTargetName(value: unknown, path: string): string {
  const result = targetName.safeParse(value);
  if (!result.success) {
    throw new PayloadError(path, `expected a target name (letters, digits, _ . -), got ${quote(value)}`);
  }
  return result.data;
}

/** Reads optional free text such as a reason or a delivery id, bounded so summaries stay small. */
export function readOptionalText(value: unknown, path: string, maxLength: number): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || value.length > maxLength) {
    throw new PayloadError(path, `expected text of at most ${maxLength} characters, got ${quote(value)}`);
  }
  return value;
}
