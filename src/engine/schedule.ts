import { cronMatches, parseCron, type WallClock } from "../policy/cron.js";
import type { Schedule } from "../policy/schema.js";

const MINUTE = 60_000;
/** Time zone offsets are whole quarter hours, so they are looked up once per quarter hour. */
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

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });
    formats.set(timeZone, format);
  }
  return format;
}

/** Converts instants to wall-clock fields in one time zone. */
export function wallClock(timeZone: string): (instant: number) => WallClock {
  const format = formatFor(timeZone);
  const offsets = new Map<number, number>();
  const offsetAt = (instant: number): number => {
    const block = Math.floor(instant / QUARTER_HOUR) * QUARTER_HOUR;
    let offset = offsets.get(block);
    if (offset === undefined) {
      const parts = Object.fromEntries(format.formatToParts(new Date(block)).map((part) => [part.type, Number(part.value)]));
      const local = Date.UTC(parts["year"]!, parts["month"]! - 1, parts["day"]!, parts["hour"]!, parts["minute"]!);
      offset = local - block;
      offsets.set(block, offset);
    }
    return offset;
  };
  return (instant) => {
    const local = new Date(instant + offsetAt(instant));
    return {
      minute: local.getUTCMinutes(),
      hour: local.getUTCHours(),
      day: local.getUTCDate(),
      month: local.getUTCMonth() + 1,
      weekday: local.getUTCDay(),
    };
  };
}

/**
 * The schedule's window that is open at `now`, if any: a window opens at each minute whose wall
 * clock in the schedule's time zone matches its cron expression, and stays open for its
 * duration. Minutes that a daylight-saving change skips open nothing; repeated ones open twice.
 */
export function openWindow(schedule: Schedule, index: number, now: number): OpenWindow | undefined {
  const cron = parseCron(schedule.cron);
  if ("problem" in cron) return undefined; // parsePolicy refuses these; a hand-built policy may not
  const clock = wallClock(schedule.timezone);
  const durationMs = schedule.duration * 1000;
  for (let minute = Math.floor(now / MINUTE) * MINUTE; minute > now - durationMs; minute -= MINUTE) {
    if (cronMatches(cron, clock(minute))) {
      return {
        label: schedule.name ?? `schedules[${index}]`,
        schedule,
        opened: new Date(minute).toISOString(),
        closes: new Date(minute + durationMs).toISOString(),
      };
    }
  }
  return undefined;
}

export function openWindows(schedules: readonly Schedule[], now: number): OpenWindow[] {
  return schedules.flatMap((schedule, index) => openWindow(schedule, index, now) ?? []);
}
