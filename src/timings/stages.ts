/**
 * Where the time of one scaling went, from the moment its condition began to the commit that
 * recorded it. Pure: every instant is given by the caller, the clock included.
 *
 * Instants come from different hosts (the monitoring system, the relay, GitHub's runner), whose
 * clocks disagree by seconds. A stage that appears to run backwards is reported as skew with
 * the seconds it ran backwards, never as a negative duration, and it does not count toward the
 * total's "longest stage".
 */

/** The points a scaling passes, in order. Each is optional: a direct dispatch has no relay. */
export const POINTS = ["alertBegan", "relayReceived", "relayDispatched", "runStarted", "previewBegan", "updateBegan", "applied", "committed"] as const;
export type Point = (typeof POINTS)[number];

/** Instants as ISO 8601 text, by point; unknown points are absent. */
export type Instants = Partial<Record<Point, string>>;

/** How the summary line names each point. */
export const POINT_LABELS: Record<Point, string> = {
  alertBegan: "alert began",
  relayReceived: "relay received",
  relayDispatched: "dispatched",
  runStarted: "run started",
  previewBegan: "preview began",
  updateBegan: "update began",
  applied: "applied",
  committed: "committed",
};

/** The interval between two known points that follow each other. */
export interface Stage {
  readonly from: Point;
  readonly to: Point;
  /** Seconds from `from` to `to`; absent when the clocks ran backwards (see skewSeconds). */
  readonly seconds?: number;
  /** Seconds `to` lies before `from`: clock skew between the hosts that stamped them. */
  readonly skewSeconds?: number;
}

/** The `timings` output: the instants, the stages between them, the total and the longest stage. */
export interface Timings {
  readonly instants: Instants;
  readonly stages: readonly Stage[];
  /** Seconds from the first known point to the last; absent with fewer than two, or when it runs backwards. */
  readonly totalSeconds?: number;
  /** The stage that took longest, among those without skew. */
  readonly longest?: Stage;
}

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

/** Stages between consecutive known points. Instants that do not parse are left out. */
export function measureTimings(given: Instants): Timings {
  const known = POINTS.flatMap((point) => {
    const text = given[point];
    const ms = text === undefined ? NaN : Date.parse(text);
    return Number.isFinite(ms) ? [{ point, ms }] : [];
  });
  const instants: Instants = Object.fromEntries(known.map(({ point, ms }) => [point, new Date(ms).toISOString()]));
  const stages: Stage[] = known.slice(1).map((end, index) => {
    const start = known[index]!;
    const delta = end.ms - start.ms;
    return delta < 0 ? { from: start.point, to: end.point, skewSeconds: seconds(-delta) } : { from: start.point, to: end.point, seconds: seconds(delta) };
  });
  const first = known[0];
  const last = known.at(-1);
  const total = first && last && known.length > 1 && last.ms >= first.ms ? seconds(last.ms - first.ms) : undefined;
  const longest = stages.reduce<Stage | undefined>((best, stage) => (stage.seconds !== undefined && (best?.seconds === undefined || stage.seconds > best.seconds) ? stage : best), undefined);
  return { instants, stages, ...(total === undefined ? {} : { totalSeconds: total }), ...(longest ? { longest } : {}) };
}

/** The earliest of several instants (an alert group's first alert), or undefined when none is known. */
export function earliest(instants: readonly (string | undefined)[]): string | undefined {
  const known = instants.flatMap((text) => {
    const ms = text === undefined ? NaN : Date.parse(text);
    return Number.isFinite(ms) ? [ms] : [];
  });
  return known.length === 0 ? undefined : new Date(Math.min(...known)).toISOString();
}
