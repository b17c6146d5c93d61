import type { Clamp } from "./decision.js";
import type { OpenWindow } from "./schedule.js";

/**
 * Says how late a schedule window is applied. A window's bound that moves the deployed count
 * (a floor above it, a ceiling below it) is being applied by this run, not by one at the
 * minute it opened: GitHub delays `schedule` runs under load and sometimes drops them, so the
 * decision records the seconds since the window opened. A bound the deployed count already
 * met was applied earlier and is not late. Pure: the clock is passed in.
 */
export function withLateness(clamps: readonly Clamp[], windows: readonly OpenWindow[], from: number, now: number): Clamp[] {
  return clamps.map((clamp) => {
    if (clamp.schedule === undefined) return clamp;
    const moves = clamp.limit === "scheduleMin" ? from < clamp.value : clamp.limit === "scheduleMax" ? from > clamp.value : false;
    const window = windows.find((open) => open.label === clamp.schedule);
    if (!moves || !window) return clamp;
    const lateSeconds = Math.max(0, Math.round((now - Date.parse(window.opened)) / 1000));
    return { ...clamp, lateSeconds };
  });
}

/** "4 h 3 min", "2 min 5 s", "40 s": how late, for the why. */
export function formatLateness(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${rest} s`;
  return `${rest} s`;
}
