// Cron matching and schedule windows against an independent reference: the croner library, used
// only here, as a test oracle. Expressions are generated; where croner and Vixie cron differ by
// design (daylight-saving changes, `*/n` in a day field), the test says so and checks Vixie's
// documented rule instead, written here from its manual page rather than taken from the code.
import { Cron as Croner } from "croner";
import fc from "fast-check";
import { latestOpening, openWindow, wallClock } from "../../src/engine/schedule.js";
import { cronMatches, parseCron, type Cron } from "../../src/policy/cron.js";
import type { Schedule } from "../../src/policy/schema.js";

const MINUTE = 60_000;
const DAY = 86_400_000;
const NUM_EXPRESSIONS = 5_000;
/** croner in UTC; an offset of 0 rather than timezone "UTC" spares it an Intl lookup per call. */
const UTC = { utcOffset: 0 };

const parsed = (text: string): Cron => {
  const cron = parseCron(text);
  if ("problem" in cron) throw new Error(`${text}: ${cron.problem}`);
  return cron;
};

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** A value of a field, as a number or (where the field has them) a name. */
function value(min: number, max: number, names?: readonly string[]): fc.Arbitrary<{ n: number; text: string }> {
  const number = fc.integer({ min, max }).map((n) => ({ n, text: String(n) }));
  if (!names) return number;
  return fc.oneof(number, fc.integer({ min, max: min + names.length - 1 }).map((n) => ({ n, text: names[n - min]! })));
}

/**
 * One field: `*`, `*\/n` (not in the day fields, where croner reads it as restricted and Vixie
 * cron as `*`), a value, a range, a range with a step, or a list of those. Croner refuses `a/n`,
 * so that form is left to the table tests of schedule.test.ts.
 */
function field(min: number, max: number, options: { names?: readonly string[]; starStep?: boolean } = {}): fc.Arbitrary<string> {
  const range = fc
    .tuple(value(min, max, options.names), value(min, max, options.names))
    .map(([a, b]): [{ n: number; text: string }, { n: number; text: string }] => (a.n <= b.n ? [a, b] : [b, a]))
    // croner reads every range ending in SUN as ending in 7, so 0-SUN is the whole week; Vixie
    // cron (and PulumiScale) reads it as 0-0. Only the range 0-SUN differs; it is left out.
    .filter(([a, b]) => !(options.names === DAYS && b.text === "SUN" && a.n === 0))
    .map(([a, b]) => `${a.text}-${b.text}`);
  const item = fc.oneof(
    value(min, max, options.names).map((v) => v.text),
    range,
    fc.tuple(range, fc.integer({ min: 1, max: Math.max(1, max - min) })).map(([r, step]) => `${r}/${step}`),
  );
  const choices = [fc.constant("*"), item, fc.array(item, { minLength: 2, maxLength: 4 }).map((items) => items.join(","))];
  if (options.starStep) choices.push(fc.integer({ min: 1, max: Math.max(1, max - min) }).map((step) => `*/${step}`));
  return fc.oneof(...choices);
}


const expression: fc.Arbitrary<string> = fc
  .tuple(
    field(0, 59, { starStep: true }),
    field(0, 23, { starStep: true }),
    // Days up to 28 exist in every month, so every generated expression can match.
    field(1, 28),
    field(1, 12, { names: MONTHS, starStep: true }),
    field(0, 6, { names: DAYS }),
  )
  .map((fields) => fields.join(" "));

const instant = fc.integer({ min: Date.parse("2025-01-01T00:00:00Z") / 1000, max: Date.parse("2026-12-31T23:59:59Z") / 1000 }).map((seconds) => seconds * 1000);

describe("cron against croner", () => {
  it(`matches the same minutes as croner for ${NUM_EXPRESSIONS} random expressions (UTC)`, () => {
    const utc = wallClock("UTC");
    fc.assert(
      fc.property(expression, fc.array(instant, { minLength: 6, maxLength: 6 }), (text, instants) => {
        const ours = parsed(text);
        const oracle = new Croner(text, UTC);
        for (const at of instants) {
          const minute = Math.floor(at / MINUTE) * MINUTE;
          expect([text, new Date(minute).toISOString(), cronMatches(ours, utc(minute))]).toEqual([text, new Date(minute).toISOString(), oracle.match(new Date(minute))]);
        }
      }),
      { numRuns: NUM_EXPRESSIONS, seed: 11 },
    );
  });

  it(`finds the same latest opening as croner's previous run for ${NUM_EXPRESSIONS} random expressions (UTC, a week back)`, () => {
    fc.assert(
      fc.property(expression, instant, (text, now) => {
        const opened = latestOpening(parsed(text), "UTC", now - 7 * DAY, now);
        // croner's previousRuns is strictly before its reference, which it reads to the second.
        const [previous] = new Croner(text, UTC).previousRuns(1, new Date(now + 1000));
        const expected = previous !== undefined && previous.getTime() > now - 7 * DAY ? previous.getTime() : undefined;
        expect([text, new Date(now).toISOString(), opened]).toEqual([text, new Date(now).toISOString(), expected]);
      }),
      { numRuns: NUM_EXPRESSIONS, seed: 12 },
    );
  });

  it.each<[string, string]>([
    ["0 0 31 2 *", "February 31"],
    ["0 0 30 FEB *", "February 30"],
  ])("refuses %s (%s), which croner finds no run of either", (text) => {
    expect(parseCron(text)).toHaveProperty("problem");
    expect(new Croner(text, UTC).nextRun(new Date("2025-01-01T00:00:00Z"))).toBeNull();
  });
});

/**
 * The zone's offset at `instant`, read with Intl directly (not with the code under test), in
 * minutes: local = instant + offset.
 */
function intlOffset(zone: string, at: number): number {
  const key = `${zone} ${Math.floor(at / MINUTE)}`;
  const known = intlOffsets.get(key);
  if (known !== undefined) return known;
  let format = intlFormats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });
    intlFormats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, Number(part.value)]));
  const offset = (Date.UTC(parts["year"]!, parts["month"]! - 1, parts["day"]!, parts["hour"]!, parts["minute"]!) - Math.floor(at / MINUTE) * MINUTE) / MINUTE;
  intlOffsets.set(key, offset);
  return offset;
}
const intlFormats = new Map<string, Intl.DateTimeFormat>();
const intlOffsets = new Map<string, number>();

/** Every offset change of the zone in 2025–2026: the first minute of the new offset. */
function transitions(zone: string): { at: number; before: number; after: number }[] {
  const found: { at: number; before: number; after: number }[] = [];
  const step = 3 * 3_600_000;
  for (let t = Date.parse("2025-01-01T00:00:00Z"); t < Date.parse("2027-01-01T00:00:00Z"); t += step) {
    const before = intlOffset(zone, t);
    const after = intlOffset(zone, t + step);
    if (before === after) continue;
    let low = t / MINUTE;
    let high = (t + step) / MINUTE;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (intlOffset(zone, middle * MINUTE) === before) low = middle;
      else high = middle;
    }
    found.push({ at: high * MINUTE, before, after });
  }
  return found;
}

/**
 * The reference: which instants in (now - duration, now] open a window, found minute by minute,
 * with croner deciding whether a wall-clock minute matches, and Vixie cron's rule for
 * daylight-saving changes from cron(8):
 *
 * > If the time has moved forwards, those jobs which would have run in the time that was skipped
 * > will be run soon after the change. Conversely, if the time has moved backwards by less than
 * > 3 hours, those jobs that fall into the repeated time will not be re-run. Only jobs that run at
 * > a particular time (not specified as @hourly, nor with '*' in the hour or minute specifier) are
 * > affected. Jobs which are specified with wildcards are run based on the new time immediately.
 *
 * "Soon after the change" is read as: at the first minute of the new offset.
 */
function referenceOpening(text: string, zone: string, now: number, durationMinutes: number): number | undefined {
  // Wall-clock matching without any zone: croner in UTC on a date whose UTC fields are the wall clock.
  const byWall = new Croner(text, UTC);
  const matchesWall = (localMinute: number) => byWall.match(new Date(localMinute * MINUTE));
  const fields = text.split(/\s+/);
  const fixed = !fields[0]!.startsWith("*") && !fields[1]!.startsWith("*");
  const end = Math.floor(now / MINUTE);
  for (let minute = end; minute > end - durationMinutes; minute -= 1) {
    const offset = intlOffset(zone, minute * MINUTE);
    const previousOffset = intlOffset(zone, (minute - 1) * MINUTE);
    const local = minute + offset;
    if (fixed && offset > previousOffset) {
      // The first minute after a gap: it opens for its own wall time and every skipped one.
      for (let skipped = minute + previousOffset; skipped <= local; skipped += 1) if (matchesWall(skipped)) return minute * MINUTE;
      continue;
    }
    if (!matchesWall(local)) continue;
    // A fixed time repeated by a fall-back change runs at its first occurrence only: the twin
    // instant one shift earlier, under the earlier (larger) offset, shows the same wall time.
    if (fixed) {
      const shift = intlOffset(zone, (minute - 180) * MINUTE) - offset;
      const twin = minute - shift;
      if (shift > 0 && twin + intlOffset(zone, twin * MINUTE) === local) continue;
    }
    return minute * MINUTE;
  }
  return undefined;
}

const ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Santiago", "Pacific/Chatham", "Australia/Sydney"];

describe("windows around every daylight-saving change of 2025–2026", () => {
  it("finds the changes to check: four a year where the zone has daylight saving, none in Kathmandu", () => {
    expect(Object.fromEntries(ZONES.map((zone) => [zone, transitions(zone).length]))).toEqual({
      "Europe/Berlin": 4,
      "America/New_York": 4,
      "Australia/Lord_Howe": 4,
      "Asia/Kathmandu": 0,
      "America/Santiago": 4,
      "Pacific/Chatham": 4,
      "Australia/Sydney": 4,
    });
    // Lord Howe moves its clocks by half an hour, Chatham keeps a quarter-hour offset.
    expect(transitions("Australia/Lord_Howe").map(({ before, after }) => Math.abs(after - before))).toEqual([30, 30, 30, 30]);
  });

  it.each(ZONES)("%s: windows open as the reference says, every 10 minutes from 3 hours before each change to 3 hours after", (zone) => {
    const changes = transitions(zone);
    // Kathmandu has no change; its quarter-hour offset is checked around the same dates as Berlin's.
    const around = changes.length > 0 ? changes.map(({ at }) => at) : transitions("Europe/Berlin").map(({ at }) => at);
    let checked = 0;
    let opened = 0;
    for (const change of around) {
      const localHour = new Date(change + intlOffset(zone, change - MINUTE) * MINUTE).getUTCHours();
      const hours = [localHour - 1, localHour, localHour + 1].map((hour) => (hour + 24) % 24);
      const expressions = [
        ...hours.flatMap((hour) => [`0 ${hour} * * *`, `30 ${hour} * * *`, `15,45 ${hour} * * *`]),
        `*/30 ${hours[1]} * * *`,
        "*/20 * * * *",
        "0 * * * *",
        "@hourly",
        "45 */2 * * *",
      ];
      for (const text of expressions) {
        for (const durationMinutes of [90]) {
          for (let now = change - 3 * 3_600_000; now <= change + 3 * 3_600_000; now += 10 * MINUTE) {
            const schedule: Schedule = { cron: text, duration: durationMinutes * 60, timezone: zone, min: 1 };
            const expected = referenceOpening(text === "@hourly" ? "0 * * * *" : text, zone, now, durationMinutes);
            const got = openWindow(schedule, 0, now)?.opened;
            expect([text, durationMinutes, new Date(now).toISOString(), got]).toEqual([
              text,
              durationMinutes,
              new Date(now).toISOString(),
              expected === undefined ? undefined : new Date(expected).toISOString(),
            ]);
            checked += 1;
            if (expected !== undefined) opened += 1;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
    // Many checks fall inside some window, so they compare openings, not only their absence.
    expect(opened).toBeGreaterThan(checked / 3);
  });

  it("opens as the reference says for 500 random expressions, zones and instants", () => {
    const around = fc.constantFrom(...ZONES.flatMap((zone) => transitions(zone).map(({ at }) => ({ zone, at }))));
    fc.assert(
      fc.property(expression, around, fc.integer({ min: -4 * 60, max: 4 * 60 }), fc.integer({ min: 1, max: 180 }), (text, { zone, at }, shift, durationMinutes) => {
        const now = at + shift * MINUTE;
        const expected = referenceOpening(text, zone, now, durationMinutes);
        const got = openWindow({ cron: text, duration: durationMinutes * 60, timezone: zone, min: 1 }, 0, now)?.opened;
        expect([text, zone, new Date(now).toISOString(), durationMinutes, got]).toEqual([
          text,
          zone,
          new Date(now).toISOString(),
          durationMinutes,
          expected === undefined ? undefined : new Date(expected).toISOString(),
        ]);
      }),
      { numRuns: 500, seed: 13 },
    );
  });

  it("agrees with croner's own runs across Berlin's changes of 2026 for fixed times", () => {
    // Berlin springs forward on 2026-03-29 at 01:00Z (02:00 → 03:00) and falls back on
    // 2026-10-25 at 01:00Z (03:00 → 02:00).
    const schedule = (cron: string): Schedule => ({ cron, duration: 3600, timezone: "Europe/Berlin", min: 1 });
    const croner = (cron: string, from: string) => new Croner(cron, { timezone: "Europe/Berlin" }).nextRun(new Date(from))!.toISOString();
    // 04:30 is after the gap; 02:30 does not exist that day and runs right after the gap.
    expect(openWindow(schedule("30 4 * * *"), 0, Date.parse("2026-03-29T02:45:00Z"))?.opened).toBe(croner("30 4 * * *", "2026-03-28T12:00:00Z"));
    expect(openWindow(schedule("30 2 * * *"), 0, Date.parse("2026-03-29T01:45:00Z"))?.opened).toBe(croner("30 2 * * *", "2026-03-28T12:00:00Z"));
    // 02:30 happens twice on 2026-10-25: the first occurrence runs, the second does not.
    expect(openWindow(schedule("30 2 * * *"), 0, Date.parse("2026-10-25T00:45:00Z"))?.opened).toBe(croner("30 2 * * *", "2026-10-24T12:00:00Z"));
    expect(croner("30 2 * * *", "2026-10-25T00:31:00Z")).toBe("2026-10-26T01:30:00.000Z");
  });
});
