// The relay server's own schedule timer (RELAY_SCHEDULE_CRON, off by default): which minutes are
// due, its settings, and the tick it dispatches, which the action reads as a schedule run.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import { isScheduleRun, signalsFromEvent } from "../../src/event.js";
import { readRelayConfig, RelayConfigError } from "../../src/relay/config.js";
import { latestDueMinute, readTickSchedule, type TickSchedule } from "../../src/relay/schedule-ticks.js";
import { startScheduleTimer, type TimerClock } from "../../src/relay/schedule-timer.js";
import type { Settings } from "../../src/settings.js";
import { GitHubStandIn } from "./support/github-stand-in.js";
import { GITHUB_TOKEN, relayEnv, settleRelays, startRelay, type RunningRelay } from "./support/relay.js";

const schedule = (text: string, timezone = "UTC"): TickSchedule => {
  const read = readTickSchedule(text, timezone);
  if ("problem" in read) throw new Error(read.problem);
  return read;
};
const at = (iso: string) => Date.parse(iso);

describe("latestDueMinute", () => {
  test.each([
    ["the minute that just began", "1 7 * * MON-FRI", "UTC", "2026-11-26T07:00:30Z", "2026-11-26T07:01:01Z", "2026-11-26T07:01:00.000Z"],
    ["nothing due between two minutes that do not match", "1 7 * * MON-FRI", "UTC", "2026-11-26T07:01:01Z", "2026-11-26T07:02:01Z", undefined],
    ["a weekend", "1 7 * * MON-FRI", "UTC", "2026-11-28T07:00:30Z", "2026-11-28T07:01:01Z", undefined],
    ["a time zone: 08:00 in Berlin is 07:00 UTC in winter", "0 8 * * *", "Europe/Berlin", "2026-11-26T06:59:30Z", "2026-11-26T07:00:01Z", "2026-11-26T07:00:00.000Z"],
    ["a timer that slept through several due minutes sends one tick, for the latest", "*/5 * * * *", "UTC", "2026-11-26T07:00:30Z", "2026-11-26T07:17:01Z", "2026-11-26T07:15:00.000Z"],
  ])("%s", (_name, cron, timezone, after, upTo, expected) => {
    const minute = latestDueMinute(schedule(cron, timezone), at(after), at(upTo));
    expect(minute === undefined ? undefined : new Date(minute).toISOString()).toBe(expected);
  });
});

describe("settings", () => {
  const base = { RELAY_GITHUB_TOKEN: GITHUB_TOKEN, RELAY_GITHUB_REPOSITORY: "acme/infra", RELAY_SHARED_SECRET: "secret-for-the-config-test-0123" };
  test("off by default", () => {
    expect(readRelayConfig(base).schedule).toBeUndefined();
  });
  test("a cron and a time zone turn it on", () => {
    expect(readRelayConfig({ ...base, RELAY_SCHEDULE_CRON: "1 7 * * MON-FRI", RELAY_SCHEDULE_TIMEZONE: "Europe/Berlin" }).schedule).toMatchObject({ text: "1 7 * * MON-FRI", timezone: "Europe/Berlin" });
  });
  test.each([
    [{ RELAY_SCHEDULE_CRON: "61 * * * *" }, "RELAY_SCHEDULE_CRON"],
    [{ RELAY_SCHEDULE_CRON: "0 8 * * *", RELAY_SCHEDULE_TIMEZONE: "Mars/Olympus" }, "RELAY_SCHEDULE_TIMEZONE"],
  ])("%j is refused, naming %s", (env, name) => {
    expect(() => readRelayConfig({ ...base, ...env })).toThrow(RelayConfigError);
    expect(() => readRelayConfig({ ...base, ...env })).toThrow(name);
  });
  test("without a repository to tick there is nothing to dispatch to", () => {
    const routes = JSON.stringify([{ match: { alertname: "x" }, repository: "acme/infra" }]);
    expect(() => readRelayConfig({ ...base, RELAY_GITHUB_REPOSITORY: "", RELAY_ROUTES: routes, RELAY_SCHEDULE_CRON: "0 8 * * *" })).toThrow("RELAY_SCHEDULE_CRON: schedule ticks need RELAY_GITHUB_REPOSITORY");
  });
});

describe("the tick", () => {
  let github: GitHubStandIn;
  const running: RunningRelay[] = [];
  beforeAll(async () => {
    github = new GitHubStandIn(GITHUB_TOKEN);
    await github.start();
  });
  afterEach(() => settleRelays(running, github));
  afterAll(() => github.stop());

  const settings: Settings = {
    stack: "acme/web/prod",
    workDir: "/repo",
    policyOutput: "pulumiscale",
    dryRun: false,
    lockTimeoutMs: 1000,
    previewGate: true,
    targetDependents: false,
    commitBack: "auto",
    commitAuthor: "Scaler <scaler@example.com>",
    commitMethod: "auto",
    githubToken: "",
  };

  test("is a dispatch the action runs as a schedule event", async () => {
    const started = await startRelay(relayEnv(github.url, { RELAY_STACK: "acme/web/prod", RELAY_SCHEDULE_CRON: "1 7 * * *" }));
    running.push(started);
    const outcome = await started.relay.tick(new Date("2026-11-26T07:01:00Z"));
    expect(outcome.kind).toBe("accepted");
    const body = github.dispatches[0]!.body as { event_type: string; client_payload: Record<string, unknown> };
    expect(body.event_type).toBe("pulumiscale");
    expect(body.client_payload).toEqual({
      source: "schedule",
      stack: "acme/web/prod",
      id: "relay-tick-2026-11-26T07:01:00.000Z",
      relay: { received: expect.any(String), dispatched: expect.any(String) },
    });
    const event = { name: "repository_dispatch", payload: { action: body.event_type, client_payload: body.client_payload } };
    expect(signalsFromEvent(event, settings)).toEqual([]);
    expect(isScheduleRun(event, settings)).toBe(true);
    expect(started.relay.metrics.render()).toContain('pulumiscale_relay_dispatches_forwarded_total{endpoint="schedule"} 1');
  });

  test("the timer ticks at a due minute, driven by its clock", async () => {
    const started = await startRelay(relayEnv(github.url, { RELAY_SCHEDULE_CRON: "1 7 * * *" }));
    running.push(started);
    let now = at("2026-11-26T07:00:30Z");
    const wakes: (() => void)[] = [];
    const clock: TimerClock = { now: () => now, setTimeout: (callback) => (wakes.push(callback), {}), clearTimeout: () => {} };
    const ticks: Promise<unknown>[] = [];
    const config = readRelayConfig(relayEnv(github.url, { RELAY_SCHEDULE_CRON: "1 7 * * *" }));
    const stop = startScheduleTimer(started.relay, config.schedule!, clock, (tick) => ticks.push(tick));
    // Woken before the due minute: nothing; woken after it: one tick.
    now = at("2026-11-26T07:00:59Z");
    wakes.shift()!();
    expect(ticks).toHaveLength(0);
    now = at("2026-11-26T07:01:01Z");
    wakes.shift()!();
    expect(ticks).toHaveLength(1);
    expect(await ticks[0]).toMatchObject({ kind: "accepted" });
    stop();
    expect((github.dispatches[0]!.body as { client_payload: { id: string } }).client_payload.id).toBe("relay-tick-2026-11-26T07:01:00.000Z");
  });
});
