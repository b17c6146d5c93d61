import { POINT_LABELS, type Point, type Stage, type Timings } from "./stages.js";

/** 08:00:03: the time of day in UTC, which is what the job log and GitHub's UI show. */
function clock(iso: string): string {
  return iso.slice(11, 19);
}

function amount(seconds: number): string {
  return seconds < 10 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds)} s`;
}

function stageName(stage: Stage): string {
  return `${POINT_LABELS[stage.from]} → ${POINT_LABELS[stage.to]}`;
}

/**
 * One line for the step summary and the update message, e.g. "alert began 08:00:03 → relay
 * 08:00:34 → run started 08:00:49 → applied 08:01:02 → committed 08:01:04, 61 s in all
 * (UTC); longest: alert began → relay 31 s". Skew is named where it happened.
 */
export function timingsLine(timings: Timings): string {
  const points = Object.entries(timings.instants) as [Point, string][];
  if (points.length === 0) return "timings unknown";
  const path = points.map(([point, iso]) => `${POINT_LABELS[point]} ${clock(iso)}`).join(" → ");
  const parts = [path];
  if (timings.totalSeconds !== undefined) parts.push(`${amount(timings.totalSeconds)} in all (UTC)`);
  const notes: string[] = [];
  if (timings.longest) notes.push(`longest: ${stageName(timings.longest)} ${amount(timings.longest.seconds!)}`);
  for (const stage of timings.stages) {
    if (stage.skewSeconds !== undefined) notes.push(`clock skew: ${POINT_LABELS[stage.to]} stamped ${amount(stage.skewSeconds)} before ${POINT_LABELS[stage.from]}`);
  }
  if (!timings.instants.alertBegan) notes.push("the event carried no time its condition began");
  return [parts.join(", "), ...notes].join("; ");
}
