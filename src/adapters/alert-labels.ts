import { quote } from "../errors.js";
import { ADJUSTMENT_FORMS, readAdjustment } from "./adjustment.js";
import { formatPath, readTargetName } from "./fields.js";
import { PayloadError, type Adjustment, type AlertStatus } from "./signal.js";

/** Alert label (or annotation) naming the policy target the alert scales. */
export const TARGET_LABEL = "pulumiscale_target";
/** Alert label (or annotation) with the adjustment a firing alert asks for, e.g. "+2". */
export const ADJUST_LABEL = "pulumiscale_adjust";
/** Alert label (or annotation) with the adjustment once the alert is resolved, e.g. "-1". */
export const ADJUST_RESOLVED_LABEL = "pulumiscale_adjust_resolved";

/** A map an alert's own pulumiscale_* settings may sit in, and where it is in the payload. */
export interface SettingsSource {
  readonly entries: Readonly<Record<string, string>> | undefined;
  readonly path: string;
}

/** The target and adjustment an alert names itself, for its status. */
export interface OwnSettings {
  readonly target?: string;
  readonly adjustment?: Adjustment;
}

/**
 * Reads an alert's own pulumiscale_target, pulumiscale_adjust and pulumiscale_adjust_resolved,
 * each from the first source that has it (labels before annotations). Both adjustments are
 * checked on every delivery, so a bad resolved adjustment shows while the alert fires. Missing
 * data takes no adjustment from the alert: only a policy rule gives it one.
 */
export function readOwnSettings(sources: readonly SettingsSource[], status: AlertStatus): OwnSettings {
  const target = ownSetting(sources, TARGET_LABEL, (text, at) => readTargetName(text, at));
  const onFiring = ownSetting(sources, ADJUST_LABEL, readOwnAdjustment);
  const onResolved = ownSetting(sources, ADJUST_RESOLVED_LABEL, readOwnAdjustment);
  const adjustment = status === "firing" ? onFiring : status === "resolved" ? onResolved : undefined;
  return { ...(target === undefined ? {} : { target }), ...(adjustment === undefined ? {} : { adjustment }) };
}

function ownSetting<T>(sources: readonly SettingsSource[], key: string, read: (text: string, path: string) => T): T | undefined {
  for (const source of sources) {
    const text = source.entries?.[key];
    if (text !== undefined) return read(text, `${source.path}${formatPath([key])}`);
  }
  return undefined;
}

function readOwnAdjustment(text: string, path: string): Adjustment {
  const adjustment = readAdjustment(text);
  if (!adjustment) throw new PayloadError(path, `expected ${ADJUSTMENT_FORMS}, got ${quote(text)}`);
  return adjustment;
}

/** `{service="api"}`: the labels that tell an alert from the rest of its group. */
export function distinguishingLabels(labels: Readonly<Record<string, string>>, common: Readonly<Record<string, string>>): string {
  const own = Object.entries(labels)
    .filter(([key, value]) => key !== "alertname" && !key.startsWith("pulumiscale_") && common[key] !== value)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return own.length === 0 ? "" : `{${own.join(", ")}}`;
}

const numberText = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads a number some sources send as text ("0.9", "25"). Absent or empty text is no number;
 * anything else that is not a finite number is an error naming the path.
 */
export function readNumberText(value: string | number | null | undefined, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return value;
  const text = value.trim();
  if (text === "") return undefined;
  const number = numberText.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(number)) throw new PayloadError(path, `expected a number as text such as "0.9", got ${quote(value)}`);
  return number;
}
