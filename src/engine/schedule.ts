import { cronMatchesDay, parseCron, type Cron, type WallClock } from "../policy/cron.js";
import type { Schedule } from "../policy/schema.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/**
 * Offsets are looked up per block of six hours: the offsets at its two ends, and where they
 * differ the minute of the change between them. Zones change their offset at most once in six
 * hours (changes are weeks apart), so this holds every instant of the block.
 */
const BLOCK = 6 * HOUR;

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

/** One block's offsets: `before` until the minute `change`, `after` from it (equal when none). */
interface BlockOffsets {
  readonly before: number;
  readonly after: number;
  readonly change: number;
}

/** Blocks already looked up, per time zone: they never change. */
const blocks = new Map<string, Map<number, BlockOffsets>>();
const MAX_CACHED_BLOCKS = 100_000;

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });
    formats.set(timeZone, format);
  }
  return format;
}

/** The offset at a whole minute, read from Intl: the costly lookup the blocks save. */
function lookUpOffset(timeZone: string, minuteInstant: number): number {
  const parts = Object.fromEntries(formatFor(timeZone).formatToParts(new Date(minuteInstant)).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts["year"]!, parts["month"]! - 1, parts["day"]!, parts["hour"]!, parts["minute"]!) - minuteInstant;
}

function blockOffsets(timeZone: string, start: number): BlockOffsets {
  const before = lookUpOffset(timeZone, start);
  const after = lookUpOffset(timeZone, start + BLOCK - MINUTE);
  if (before === after) return { before, after, change: start + BLOCK };
  let low = start / MINUTE;
  let high = (start + BLOCK - MINUTE) / MINUTE;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (lookUpOffset(timeZone, middle * MINUTE) === before) low = middle;
    else high = middle;
  }
  return { before, after, change: high * MINUTE };
}

/** The zone's offset from UTC at `instant`, in milliseconds (local = instant + offset). */
export function offsetAt(timeZone: string, instant: number): number {
  let zone = blocks.get(timeZone);
  if (zone === undefined || zone.size > MAX_CACHED_BLOCKS) {
    zone = new Map();
    blocks.set(timeZone, zone);
  }
  const start = Math.floor(instant / BLOCK) * BLOCK;
  let block = zone.get(start);
  if (block === undefined) {
    block = blockOffsets(timeZone, start);
    zone.set(start, block);
  }
  return instant < block.change ? block.before : block.after;
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
  const early = local - after;
  const late = local - before;
  const earlyHolds = offsetAt(timeZone, early) === after;
  const lateHolds = before !== after && offsetAt(timeZone, late) === before;
  if (earlyHolds && lateHolds) {
    // Both readings hold: the repeated hour of a fall-back change.
    const [first, second] = early < late ? [early, late] : [late, early];
    return fixedTime ? [first] : [first, second];
  }
  if (earlyHolds) return [early];
  if (lateHolds) return [late];
  if (!fixedTime || after <= before) return [];
  // In the gap: the change happens between local - after and local - before; find its minute.
  let low = early / MINUTE;
  let high = late / MINUTE;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(timeZone, middle * MINUTE) === after) high = middle;
    else low = middle;
  }
  return [high * MINUTE];
}

/** An expression read once, with its hours and minutes newest first, for the search below. */
interface Prepared {
  readonly cron: Cron;
  readonly hours: readonly number[];
  readonly minutes: readonly number[];
}

/** Prepared expressions by text: a schedule event reads each of many schedules, often the same. */
const prepared = new Map<string, Prepared | undefined>();

function prepare(text: string): Prepared | undefined {
  if (prepared.has(text)) return prepared.get(text);
  const cron = parseCron(text);
  const entry = "problem" in cron ? undefined : { cron, hours: descending(cron.hours), minutes: descending(cron.minutes) };
  if (prepared.size > 10_000) prepared.clear();
  prepared.set(text, entry);
  return entry;
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
  return latestPreparedOpening({ cron, hours: descending(cron.hours), minutes: descending(cron.minutes) }, timeZone, after, atOrBefore);
}

function latestPreparedOpening({ cron, hours, minutes }: Prepared, timeZone: string, after: number, atOrBefore: number): number | undefined {
  // A wall time in range lies between the range's ends read with the smaller and the larger of
  // their offsets (a range of at most a week holds at most one change).
  const endOffset = offsetAt(timeZone, atOrBefore);
  const startOffset = offsetAt(timeZone, after);
  const latestLocal = atOrBefore + Math.max(endOffset, startOffset);
  const earliestLocal = after + Math.min(endOffset, startOffset);
  const lastDay = Math.floor(latestLocal / DAY) * DAY;
  const firstDay = Math.floor(earliestLocal / DAY) * DAY;
  for (let day = lastDay; day >= firstDay; day -= DAY) {
    const date = new Date(day);
    if (!cronMatchesDay(cron, { day: date.getUTCDate(), month: date.getUTCMonth() + 1, weekday: date.getUTCDay() })) continue;
    for (const hour of hours) {
      const hourStart = day + hour * HOUR;
      if (hourStart > latestLocal) continue;
      if (hourStart + HOUR <= earliestLocal) break;
      for (const minute of minutes) {
        const local = hourStart + minute * MINUTE;
        if (local > latestLocal) continue;
        if (local < earliestLocal) break;
        const found = instantsOf(timeZone, local, cron.fixedTime).filter((instant) => instant > after && instant <= atOrBefore);
        if (found.length === 0) continue;
        const best = Math.max(...found);
        // Later wall times of a day are later instants, except around a fall-back change, where
        // a clock-following expression's second pass comes after wall times later than its own;
        // only a fall-back change between three hours before it and the range's end needs a look.
        if (cron.fixedTime || offsetAt(timeZone, best - 3 * HOUR) <= offsetAt(timeZone, atOrBefore)) return best;
        return latestAcrossRepeat({ cron, hours, minutes }, timeZone, day, local, best, after, atOrBefore);
      }
    }
  }
  return undefined;
}

/**
 * In a repeated (fall-back) hour an earlier wall time can be a later instant: 02:00 of the
 * second pass comes after 02:30 of the first. So once a candidate is found there, the wall
 * times up to three hours earlier the same day are checked too.
 */
function latestAcrossRepeat({ cron, hours, minutes }: Prepared, timeZone: string, day: number, start: number, best: number, after: number, atOrBefore: number): number {
  for (const hour of hours) {
    for (const minute of minutes) {
      const local = day + hour * HOUR + minute * MINUTE;
      if (local >= start || local < start - 3 * HOUR) continue;
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
  const expression = prepare(schedule.cron);
  if (expression === undefined) return undefined; // parsePolicy refuses these; a hand-built policy may not
  const durationMs = schedule.duration * 1000;
  const opened = latestPreparedOpening(expression, schedule.timezone, now - durationMs, now);
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
