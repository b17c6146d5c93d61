// The scripted load and the settings of one run of the loop. Two profiles: `reference`, with the
// settings the docs recommend for a scaling route (the benchmark), and `short`, the same shape
// compressed so the end-to-end test takes a few minutes.

/** One stretch of the profile: the load moves linearly from `from` to `to` over `seconds`. */
export interface Phase {
  readonly name: string;
  readonly seconds: number;
  readonly from: number;
  readonly to: number;
}

/** Durations as Prometheus and Alertmanager write them (`5s`, `1m`), and as the policy accepts them. */
export interface LoopSettings {
  readonly scrapeInterval: string;
  readonly evaluationInterval: string;
  /** `for:` of the scale-out rule: how long the load must stay high before the alert fires. */
  readonly scaleOutFor: string;
  /** `for:` of the scale-in rule: longer, because scaling in too early costs more than late. */
  readonly scaleInFor: string;
  /** Prometheus `--rules.alert.resend-delay`: how stale the `value` annotation in Alertmanager may get. */
  readonly resendDelay: string;
  readonly groupWait: string;
  readonly groupInterval: string;
  /** How often Alertmanager re-sends a still-firing group: a held alert asks again this often. */
  readonly repeatInterval: string;
  readonly cooldownScaleOut: string;
  readonly cooldownScaleIn: string;
  readonly scaleInStabilization: string;
}

export interface Profile {
  readonly name: string;
  readonly phases: readonly Phase[];
  /** The load once the phases are over, held until the pool has settled. */
  readonly idleLoad: number;
  readonly settings: LoopSettings;
  /** Load per worker that target tracking holds. */
  readonly targetPerWorker: number;
  /** The scale-out alert fires above this load per worker, the scale-in alert below the other. */
  readonly scaleOutAbove: number;
  readonly scaleInBelow: number;
  readonly initialWorkers: number;
  readonly min: number;
  readonly max: number;
  /** Only stops a hung run: the whole loop must end well inside it, even on a slow machine. */
  readonly hangLimitSeconds: number;
}

// Target 10 per worker: the baseline (16) holds the initial 2 workers at 8 each, the plateau (60)
// needs 6, the spike (100) 10, idle (8) the minimum 1, where 8 per worker lies between the two
// thresholds, so no alert fires before the load moves or once the pool has settled. The scale-out
// threshold is the edge of target tracking's ±10% band, so every WorkersBusy alert asks for more.
const shape = { targetPerWorker: 10, scaleOutAbove: 11, scaleInBelow: 6, initialWorkers: 2, min: 1, max: 12, idleLoad: 8 };

export const referenceProfile: Profile = {
  name: "reference",
  ...shape,
  phases: [
    { name: "baseline", seconds: 30, from: 16, to: 16 },
    { name: "ramp up", seconds: 120, from: 16, to: 60 },
    { name: "plateau", seconds: 120, from: 60, to: 60 },
    { name: "spike", seconds: 90, from: 100, to: 100 },
    { name: "idle", seconds: 30, from: 8, to: 8 },
  ],
  settings: {
    scrapeInterval: "5s",
    evaluationInterval: "5s",
    scaleOutFor: "15s",
    scaleInFor: "1m",
    resendDelay: "5s",
    groupWait: "5s",
    groupInterval: "15s",
    repeatInterval: "30s",
    cooldownScaleOut: "30s",
    cooldownScaleIn: "1m",
    scaleInStabilization: "3m",
  },
  hangLimitSeconds: 3600,
};

export const shortProfile: Profile = {
  name: "short",
  ...shape,
  phases: [
    { name: "baseline", seconds: 5, from: 16, to: 16 },
    { name: "ramp up", seconds: 30, from: 16, to: 60 },
    { name: "plateau", seconds: 30, from: 60, to: 60 },
    { name: "spike", seconds: 30, from: 100, to: 100 },
    { name: "idle", seconds: 5, from: 8, to: 8 },
  ],
  settings: {
    scrapeInterval: "1s",
    evaluationInterval: "1s",
    scaleOutFor: "3s",
    scaleInFor: "5s",
    resendDelay: "1s",
    groupWait: "1s",
    groupInterval: "2s",
    repeatInterval: "6s",
    cooldownScaleOut: "10s",
    cooldownScaleIn: "10s",
    scaleInStabilization: "20s",
  },
  hangLimitSeconds: 1500,
};

export const profiles: Record<string, Profile> = { reference: referenceProfile, short: shortProfile };

/** The load at `seconds` after the start; after the last phase, the idle load. */
export function loadAt(profile: Profile, seconds: number): { load: number; phase: string } {
  let start = 0;
  for (const phase of profile.phases) {
    if (seconds < start + phase.seconds) {
      const progress = (seconds - start) / phase.seconds;
      return { load: phase.from + (phase.to - phase.from) * progress, phase: phase.name };
    }
    start += phase.seconds;
  }
  return { load: profile.idleLoad, phase: "idle" };
}

export function profileSeconds(profile: Profile): number {
  return profile.phases.reduce((sum, phase) => sum + phase.seconds, 0);
}

/** `5s`, `1m`, `2h` in seconds. */
export function seconds(duration: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as "s" | "m" | "h"];
}
