/**
 * Reads a point in time from a source's own field. Pure. A timestamp only ever informs the
 * timings report, never a decision, so anything that is not a plausible instant is "unknown"
 * (undefined), never an error: a missing field, text that is not a date, Go's zero time
 * (`0001-01-01T00:00:00Z`, which Alertmanager writes for "not yet"), a number that is not finite.
 */

/** What a bare number (or a text of digits) counts: Google sends epoch seconds, Datadog epoch milliseconds. */
export type EpochUnit = "seconds" | "milliseconds";

// Instants before 2000 or after 2200 are placeholders or unit mistakes, not times an alert began.
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

// An ISO 8601 date and time with a zone, as every source writes it (fractions of any length).
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const digits = /^\d{1,16}(\.\d+)?$/;

/** The instant `value` names, as ISO 8601 UTC, or undefined when it is unknown. */
export function readInstant(value: unknown, unit: EpochUnit = "seconds"): string | undefined {
  let ms: number;
  if (typeof value === "number" || (typeof value === "string" && digits.test(value.trim()))) {
    const number = Number(value);
    ms = unit === "seconds" ? number * 1000 : number;
  } else if (typeof value === "string" && value.length <= 64 && isoInstant.test(value.trim())) {
    // Date.parse keeps milliseconds only; longer fractions (Grafana, Azure) are cut, not refused.
    // CloudWatch writes the zone as +0000, which Date.parse reads only as +00:00.
    ms = Date.parse(value.trim().replace(/(\.\d{3})\d+/, "$1").replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  } else {
    return undefined;
  }
  if (!Number.isFinite(ms) || ms < EARLIEST || ms >= LATEST) return undefined;
  return new Date(Math.round(ms)).toISOString();
}

/** `{ began }` when `value` is a known instant, else `{}`: for spreading into a signal. */
export function began(value: unknown, unit?: EpochUnit): { began?: string } {
  const instant = readInstant(value, unit);
  return instant === undefined ? {} : { began: instant };
}
