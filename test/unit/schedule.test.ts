// Cron expressions and schedule windows, in time zones, across daylight-saving changes.
import { openWindow, wallClock } from "../../src/engine/schedule.js";
import { cronMatches, parseCron, type Cron } from "../../src/policy/cron.js";
import type { Schedule } from "../../src/policy/schema.js";

const cron = (text: string): Cron => {
  const parsed = parseCron(text);
  if ("problem" in parsed) throw new Error(parsed.problem);
  return parsed;
};

describe("parseCron", () => {
  it.each<[string, keyof Cron, number[]]>([
    ["*/15 * * * *", "minutes", [0, 15, 30, 45]],
    ["0 8-18/2 * * *", "hours", [8, 10, 12, 14, 16, 18]],
    ["0 22/1 * * *", "hours", [22, 23]],
    ["0 0 1,15 * *", "daysOfMonth", [1, 15]],
    ["0 0 * JAN,jul-AUG *", "months", [1, 7, 8]],
    ["0 0 * * MON-FRI", "daysOfWeek", [1, 2, 3, 4, 5]],
    ["0 0 * * 5-7", "daysOfWeek", [5, 6, 0]],
    ["0 0 * * 7", "daysOfWeek", [0]],
    // Vixie cron: SUN ends a range as 7, so MON-SUN is the whole week (issue 11).
    ["0 0 * * MON-SUN", "daysOfWeek", [0, 1, 2, 3, 4, 5, 6]],
    ["0 0 * * SAT-SUN", "daysOfWeek", [0, 6]],
    ["0 0 * * SUN-SAT", "daysOfWeek", [0, 1, 2, 3, 4, 5, 6]],
    ["0 0 * * 6-7", "daysOfWeek", [0, 6]],
    // February 29 exists in leap years; 31 exists in one of the listed months.
    ["0 0 29 2 *", "daysOfMonth", [29]],
    ["0 0 31 1-2 *", "daysOfMonth", [31]],
  ])("%s: %s", (text, field, values) => {
    expect([...(cron(text)[field] as Set<number>)].sort((a, b) => a - b)).toEqual([...values].sort((a, b) => a - b));
  });

  it.each<[string, string]>([
    ["", "0 fields where 5 are needed"],
    ["* * * *", "4 fields where 5 are needed"],
    ["* * * * * *", "6 fields where 5 are needed"],
    ["60 * * * *", 'minute field "60": 60 is outside 0-59'],
    ["* 24 * * *", 'hour field "24": 24 is outside 0-23'],
    ["* * 0 * *", 'day-of-month field "0": 0 is outside 1-31'],
    ["* * * 13 *", 'month field "13": 13 is outside 1-12'],
    ["* * * * 8", 'day-of-week field "8": 8 is outside 0-7'],
    ["* * * * MOND", 'day-of-week field "MOND": "MOND" is not a number or a name'],
    ["*/0 * * * *", 'minute field "*/0": step "0" is not a whole number from 1 to 99'],
    ["10-5 * * * *", 'minute field "10-5": range "10-5" runs backwards'],
    ["1-2-3 * * * *", 'minute field "1-2-3": cannot read "1-2-3"'],
    ["1,,2 * * * *", 'minute field "1,,2": cannot read ""'],
    ["@every_minute", '"@every_minute" is not a macro (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)'],
    ["0 0 * * FRI-MON", 'day-of-week field "FRI-MON": range "FRI-MON" runs backwards'],
    // Days that no month has: the expression could never match (issue 11).
    ["0 0 31 2 *", 'day-of-month field "31" never falls in month field "2": the expression would never match'],
    ["0 0 30 FEB *", 'day-of-month field "30" never falls in month field "FEB": the expression would never match'],
    ["0 0 31 4,6,9,11 *", 'day-of-month field "31" never falls in month field "4,6,9,11": the expression would never match'],
  ])("refuses %j: %s", (text, problem) => {
    expect(parseCron(text)).toEqual({ problem });
  });

  it.each<[string, { day: number; weekday: number }, boolean]>([
    // Both day fields restricted: either matches (as cron does).
    ["0 0 1 * MON", { day: 1, weekday: 3 }, true],
    ["0 0 1 * MON", { day: 2, weekday: 1 }, true],
    ["0 0 1 * MON", { day: 2, weekday: 2 }, false],
    // One restricted: it alone decides.
    ["0 0 * * MON", { day: 1, weekday: 3 }, false],
    ["0 0 1 * *", { day: 1, weekday: 3 }, true],
  ])("%s on day %j matches: %s", (text, day, expected) => {
    expect(cronMatches(cron(text), { minute: 0, hour: 0, month: 6, ...day })).toBe(expected);
  });
});

describe("macros", () => {
  // crontab(5) of Vixie cron lists these with the five fields they stand for.
  it.each<[string, string]>([
    ["@yearly", "0 0 1 1 *"],
    ["@annually", "0 0 1 1 *"],
    ["@monthly", "0 0 1 * *"],
    ["@weekly", "0 0 * * 0"],
    ["@daily", "0 0 * * *"],
    ["@midnight", "0 0 * * *"],
    ["@hourly", "0 * * * *"],
    ["@DAILY", "0 0 * * *"],
  ])("%s is %s", (macro, fields) => {
    expect(cron(macro)).toEqual(cron(fields));
  });
});

describe("wallClock", () => {
  it.each<[string, string, object]>([
    ["UTC", "2026-11-26T12:34:00Z", { hour: 12, minute: 34, day: 26, month: 11, weekday: 4 }],
    ["Europe/Berlin", "2026-11-26T23:30:00Z", { hour: 0, minute: 30, day: 27, month: 11, weekday: 5 }],
    ["America/New_York", "2026-07-01T03:00:00Z", { hour: 23, minute: 0, day: 30, month: 6, weekday: 2 }],
    ["Asia/Kathmandu", "2026-01-01T00:00:00Z", { hour: 5, minute: 45, day: 1, month: 1, weekday: 4 }],
  ])("%s at %s", (zone, instant, expected) => {
    expect(wallClock(zone)(Date.parse(instant))).toEqual(expected);
  });
});

describe("openWindow", () => {
  const schedule = (overrides: Partial<Schedule>): Schedule => ({ cron: "0 8 * * MON-FRI", duration: 10 * 3600, timezone: "Europe/Berlin", min: 5, ...overrides });

  it.each<[string, Partial<Schedule>, string, string | undefined]>([
    // 08:00 in Berlin is 07:00 UTC in winter (2026-11-26 is a Thursday).
    ["inside", {}, "2026-11-26T12:00:00Z", "2026-11-26T07:00:00.000Z"],
    ["at the opening minute", {}, "2026-11-26T07:00:00Z", "2026-11-26T07:00:00.000Z"],
    ["one minute before", {}, "2026-11-26T06:59:59Z", undefined],
    ["the last second", {}, "2026-11-26T16:59:59Z", "2026-11-26T07:00:00.000Z"],
    ["closed at its end", {}, "2026-11-26T17:00:00Z", undefined],
    ["not on Saturday", {}, "2026-11-28T12:00:00Z", undefined],
    ["in summer, 08:00 Berlin is 06:00 UTC", {}, "2026-07-01T06:30:00Z", "2026-07-01T06:00:00.000Z"],
    ["the same cron in UTC", { timezone: "UTC" }, "2026-11-26T07:30:00Z", undefined],
    ["a window across midnight", { cron: "0 22 * * *", duration: 8 * 3600, timezone: "UTC" }, "2026-11-27T03:00:00Z", "2026-11-26T22:00:00.000Z"],
    ["a week-long window", { cron: "0 0 * * MON", duration: 7 * 86400, timezone: "UTC" }, "2026-11-29T23:59:00Z", "2026-11-23T00:00:00.000Z"],
    // Europe/Berlin springs forward on 2026-03-29 at 01:00Z from 02:00 to 03:00: 02:30 never
    // happens. Vixie cron runs a job at a fixed time in the gap once, right after it.
    ["a fixed time that daylight saving skips opens right after the gap", { cron: "30 2 * * *", duration: 3600 }, "2026-03-29T01:45:00Z", "2026-03-29T01:00:00.000Z"],
    ["…and only on that day", { cron: "30 2 * * *", duration: 3600 }, "2026-03-30T00:45:00Z", "2026-03-30T00:30:00.000Z"],
    ["two fixed times in the gap open once, at its end", { cron: "0,30 2 * * *", duration: 60 }, "2026-03-29T01:00:30Z", "2026-03-29T01:00:00.000Z"],
    // With * in the minute or hour field a job follows the clock: skipped minutes open nothing.
    ["a clock-following expression skips the gap", { cron: "*/30 2 * * *", duration: 60 }, "2026-03-29T01:00:30Z", undefined],
    // It falls back on 2026-10-25 at 01:00Z from 03:00 to 02:00: 02:30 happens at 00:30Z and at
    // 01:30Z. A fixed time opens once, at its first occurrence.
    ["a fixed time that daylight saving repeats opens once", { cron: "30 2 * * *", duration: 1800 }, "2026-10-25T01:45:00Z", undefined],
    ["…at its first occurrence", { cron: "30 2 * * *", duration: 1800 }, "2026-10-25T00:45:00Z", "2026-10-25T00:30:00.000Z"],
    ["a clock-following expression opens in both passes", { cron: "*/30 2 * * *", duration: 600 }, "2026-10-25T01:35:00Z", "2026-10-25T01:30:00.000Z"],
    ["the second pass's 02:00 opens after the first pass's 02:30", { cron: "*/30 2 * * *", duration: 3600 }, "2026-10-25T01:10:00Z", "2026-10-25T01:00:00.000Z"],
    // Macros and whole-week ranges (issue 11).
    ["@daily in Berlin", { cron: "@daily", duration: 3600 }, "2026-11-26T23:30:00Z", "2026-11-26T23:00:00.000Z"],
    ["MON-SUN opens on Sunday", { cron: "0 8 * * MON-SUN" }, "2026-11-29T12:00:00Z", "2026-11-29T07:00:00.000Z"],
    // Asia/Kathmandu is UTC+05:45: 08:00 there is 02:15Z.
    ["a quarter-hour zone", { cron: "0 8 * * *", timezone: "Asia/Kathmandu", duration: 3600 }, "2026-11-26T02:20:00Z", "2026-11-26T02:15:00.000Z"],
  ])("%s", (_name, overrides, now, opened) => {
    expect(openWindow(schedule(overrides), 0, Date.parse(now))?.opened).toBe(opened);
  });

  it("names the window and says when it closes", () => {
    expect(openWindow(schedule({ name: "business-hours" }), 2, Date.parse("2026-11-26T12:00:00Z"))).toMatchObject({
      label: "business-hours",
      closes: "2026-11-26T17:00:00.000Z",
    });
    expect(openWindow(schedule({}), 2, Date.parse("2026-11-26T12:00:00Z"))?.label).toBe("schedules[2]");
  });
});
