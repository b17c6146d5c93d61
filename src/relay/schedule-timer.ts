import type { DispatchOutcome } from "./github.js";
import type { Relay } from "./relay.js";
import { latestDueMinute, type TickSchedule } from "./schedule-ticks.js";

const MINUTE = 60_000;
// Woken a little after each minute starts, so the minute that just began is due.
const AFTER_THE_MINUTE_MS = 1_000;

export interface TimerClock {
  readonly now: () => number;
  readonly setTimeout: (callback: () => void, ms: number) => { unref?: () => void };
  readonly clearTimeout: (handle: ReturnType<TimerClock["setTimeout"]>) => void;
}

const systemClock: TimerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Runs the relay server's schedule timer: wakes after each minute, and when a minute since the
 * last wake matches the schedule, sends one tick for the latest. Returns a function that stops it.
 */
export function startScheduleTimer(
  relay: Relay,
  schedule: TickSchedule,
  clock: TimerClock = systemClock,
  onTick: (outcome: Promise<DispatchOutcome>) => void = () => {},
): () => void {
  let last = clock.now();
  let handle: ReturnType<TimerClock["setTimeout"]> | undefined;
  let stopped = false;
  const wake = () => {
    const now = clock.now();
    const due = latestDueMinute(schedule, last, now);
    last = now;
    if (due !== undefined) onTick(relay.tick(new Date(due)));
    arm();
  };
  const arm = () => {
    if (stopped) return;
    const now = clock.now();
    handle = clock.setTimeout(wake, Math.floor(now / MINUTE) * MINUTE + MINUTE + AFTER_THE_MINUTE_MS - now);
    // The timer alone never keeps the process alive: the server does.
    handle.unref?.();
  };
  arm();
  return () => {
    stopped = true;
    if (handle) clock.clearTimeout(handle);
  };
}
