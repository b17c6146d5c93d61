import { cronMatchesDay, parseCron, type Cron, type WallClock } from "../policy/cron.js";
import type { Schedule } from "../policy/schema.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Time zone offsets and their changes fall on whole quarter hours, so one lookup per quarter hour serves. */
const QUARTER_HOUR = 15 * MINUTE;

/** A schedule window that is open at the decision's clock. */
export interface OpenWindow {
  /** The schedule's name, or `schedules[i]`. */
  readonly label: string;
  readonly schedule: Schedule;
  /** When it opened and when it closes (ISO 8601). */
  readonly opened: string;
  readonly closes: string;
}

/** Formatters are costly to build and hold no state between calls, so one per time zone is kept. */
const formats = new Map<string, Intl.DateTimeFormat>();
/** Offsets already looked up, per time zone and quarter hour: they never change. */
const offsets = new Map<string, Map<number, number>>();
const MAX_CACHED_OFFSETS = 100_000;

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });
    formats.set(timeZone, format);
  }
  return format;
}

/** The zone's offset from UTC at `instant`, in milliseconds (local = instant + offset). */
export function offsetAt(timeZone: string, instant: number): number {
  let zone = offsets.get(timeZone);
  if (zone === undefined || zone.size > MAX_CACHED_OFFSETS) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  const block = Math.floor(instant / QUARTER_HOUR) * QUARTER_HOUR;
  let offset = zone.get(block);
  if (offset === undefined) {
    const parts = Object.fromEntries(formatFor(timeZone).formatToParts(new Date(block)).map((part) => [part.type, Number(part.value)]));
    offset = Date.UTC(parts["year"]!, parts["month"]! - 1, parts["day"]!, parts["hour"]!, parts["minute"]!) - block;
    zone.set(block, offset);
  }
  return offset;
}

/** Converts instants to wall-clock fields in one time zone. */
export function wallClock(timeZone: string): (instant: number) => WallClock {
  return (instant) => {
    const local = new Date(instant + offsetAt(timeZone, instant));
    return { minute: local.getUTCMinutes(), hour: local.getUTCHours(), day: local.getUTCDate(), month: local.getUTCMonth() + 1, weekday: local.getUTCDay() };
  };
}

/**
 * The instants at which the wall-clock time `local` (milliseconds of a UTC date standing for the
 * local date and time) occurs in the zone: one as a rule; two in the hour a fall-back change
 * repeats; none in the hour a spring-forward change skips. A fixed-time job (`fixedTime`) runs
 * as Vixie cron runs it: once, at the first of two occurrences, and in a skipped hour right
 * after the gap, at the instant of the change.
 */
export function instantsOf(timeZone: string, local: number, fixedTime: boolean): number[] {
  // The true offset is that of an instant within 14 hours of `local`; a day either side brackets it.
  const before = offsetAt(timeZone, local - DAY);
  const after = offsetAt(timeZone, local + DAY);
  const found = [...new Set([before, after])].map((offset) => local - offset).filter((instant) => local - offsetAt(timeZone, instant) === instant);
  found.sort((a, b) => a - b);
  if (found.length > 0) return fixedTime ? found.slice(0, 1) : found;
  if (!fixedTime || after <= before) return [];
  // In the gap: the change happens between local - after and local - before; find its minute.
  let low = (local - after) / MINUTE;
  let high = (local - before) / MINUTE;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(timeZone, middle * MINUTE) === after) high = middle;
    else low = middle;
  }
  return [high * MINUTE];
}

/** Parsed expressions by text: a schedule event reads each of many schedules once. */
const parsed = new Map<string, Cron | { readonly problem: string }>();

function cronOf(text: string): Cron | undefined {
  let cron = parsed.get(text);
  if (cron === undefined) {
    cron = parseCron(text);
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(text, cron);
  }
  return "problem" in cron ? undefined : cron;
}

/** Values of a set, largest first. */
function descending(values: ReadonlySet<number>): number[] {
  return [...values].sort((a, b) => b - a);
}

/**
 * The latest instant in (`after`, `atOrBefore`] at which the cron expression opens a window in the
 * zone, or undefined. Worked out from the expression's fields day by day, hour by hour, newest
 * first, so its cost grows with the days the range spans, not with its minutes.
 */
export function latestOpening(cron: Cron, timeZone: string, after: number, atOrBefore: number): number | undefined {
  const hours = descending(cron.hours);
  const minutes = descending(cron.minutes);
  // Local days that can hold an opening in the range, newest first; offsets lie within ±14 hours.
  const lastDay = Math.floor((atOrBefore + offsetAt(timeZone, atOrBefore)) / DAY) * DAY + DAY;
  const firstDay = Math.floor((after + offsetAt(timeZone, after)) / DAY) * DAY - DAY;
  const latestLocal = atOrBefore + 14 * HOUR;
  const earliestLocal = after - 14 * HOUR;
  for (let day = lastDay; day >= firstDay; day -= DAY) {
    const date = new Date(day);
    if (!cronMatchesDay(cron, { day: date.getUTCDate(), month: date.getUTCMonth() + 1, weekday: date.getUTCDay() })) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const local = day + hour * HOUR + minute * MINUTE;
        if (local > latestLocal) continue;
        if (local < earliestLocal) break;
        const found = instantsOf(timeZone, local, cron.fixedTime).filter((instant) => instant > after && instant <= atOrBefore);
        // Within one local day later wall times are later instants, except in a repeated hour.
        if (found.length > 0) return latest(found, cron, timeZone, day, hour, minute, after, atOrBefore);
      }
    }
  }
  return undefined;
}

/**
 * In a repeated (fall-back) hour an earlier wall time can be a later instant: 01:59 of the
 * second pass comes after 01:00 of the second pass but also after 01:30 of the first. So once
 * a candidate is found, the wall times up to two hours earlier the same day are checked too.
 */
function latest(found: number[], cron: Cron, timeZone: string, day: number, hour: number, minute: number, after: number, atOrBefore: number): number {
  let best = Math.max(...found);
  const start = day + hour * HOUR + minute * MINUTE;
  for (const earlierHour of descending(cron.hours)) {
    for (const earlierMinute of descending(cron.minutes)) {
      const local = day + earlierHour * HOUR + earlierMinute * MINUTE;
      if (local >= start || local < start - 2 * HOUR) continue;
      for (const instant of instantsOf(timeZone, local, cron.fixedTime)) {
        if (instant > after && instant <= atOrBefore && instant > best) best = instant;
      }
    }
  }
  return best;
}

/**
 * The schedule's window that is open at `now`, if any: a window opens at each time its cron
 * expression matches on the wall clock of its time zone, and stays open for its duration; the
 * latest opening within the duration is the one reported. Across daylight-saving changes,
 * Vixie cron's rule: a fixed time of day that a change skips opens once right after the gap, one
 * that a change repeats opens once (at its first occurrence); expressions whose minute or hour
 * is `*` follow the clock, so skipped minutes open nothing and repeated ones open twice.
 */
export function openWindow(schedule: Schedule, index: number, now: number): OpenWindow | undefined {
  const cron = cronOf(schedule.cron);
  if (cron === undefined) return undefined; // parsePolicy refuses these; a hand-built policy may not
  const durationMs = schedule.duration * 1000;
  const opened = latestOpening(cron, schedule.timezone, now - durationMs, now);
  if (opened === undefined) return undefined;
  return {
    label: schedule.name ?? `schedules[${index}]`,
    schedule,
    opened: new Date(opened).toISOString(),
    closes: new Date(opened + durationMs).toISOString(),
  };
}

export function openWindows(schedules: readonly Schedule[], now: number): OpenWindow[] {
  return schedules.flatMap((schedule, index) => openWindow(schedule, index, now) ?? []);
}
