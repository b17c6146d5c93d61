import { wallClock } from "../engine/schedule.js";
import { cronMatches, parseCron, type Cron } from "../policy/cron.js";

/**
 * The relay's own schedule timer (RELAY_SCHEDULE_CRON, off by default): which minutes are due a
 * tick. Pure: the clock is passed in. A tick is a dispatch with `source: schedule`, which the
 * action runs as a `schedule` event; extra or late ticks change nothing, so a timer that slept
 * through several due minutes sends one tick for the latest, not one for each.
 */
export interface TickSchedule {
  /** The cron expression as written, for logs. */
  readonly text: string;
  readonly cron: Cron;
  /** IANA time zone the expression is read in. */
  readonly timezone: string;
}

const MINUTE = 60_000;

/** Reads a cron expression and time zone; a problem is returned as text, naming what is wrong. */
export function readTickSchedule(text: string, timezone: string): TickSchedule | { readonly problem: string } {
  const cron = parseCron(text);
  if ("problem" in cron) return { problem: cron.problem };
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
  } catch {
    return { problem: "unknown time zone: expected an IANA name such as Europe/Berlin" };
  }
  return { text, cron, timezone };
}

/** The latest minute in (afterMs, upToMs] whose wall clock matches, or undefined when none does. */
export function latestDueMinute(schedule: TickSchedule, afterMs: number, upToMs: number): number | undefined {
  const clock = wallClock(schedule.timezone);
  // A day at most is searched: a timer that slept longer sends one tick for the latest match.
  const floor = Math.max(afterMs, upToMs - 86_400_000);
  for (let minute = Math.floor(upToMs / MINUTE) * MINUTE; minute > floor; minute -= MINUTE) {
    if (cronMatches(schedule.cron, clock(minute))) return minute;
  }
  return undefined;
}
