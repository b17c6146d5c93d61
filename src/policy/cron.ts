/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week), as in crontab(5) of
 * Vixie cron: `*`, numbers, ranges `a-b`, steps `*\/n`, `a-b/n` and `a/n`, lists `a,b`, the
 * names JAN–DEC and SUN–SAT, and the macros @yearly (@annually), @monthly, @weekly, @daily
 * (@midnight) and @hourly. Day-of-week 7 is Sunday too, so `MON-SUN` is Monday to Sunday. When
 * both day fields are restricted, a day matches when either does (as cron does). An expression
 * that can never match (`0 0 31 2 *`) is refused. Pure: matching takes wall-clock fields, not a clock.
 */
export interface Cron {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 (Sunday) to 6. */
  readonly daysOfWeek: ReadonlySet<number>;
  readonly daysOfMonthRestricted: boolean;
  readonly daysOfWeekRestricted: boolean;
  /**
   * Neither the minute nor the hour field starts with `*`: a job at a fixed time of day, which
   * Vixie cron runs once across a daylight-saving change (see schedule.ts).
   */
  readonly fixedTime: boolean;
}

/** A moment on a wall clock in some time zone. */
export interface WallClock {
  readonly minute: number;
  readonly hour: number;
  /** 1–31 */
  readonly day: number;
  /** 1–12 */
  readonly month: number;
  /** 0 (Sunday) to 6 */
  readonly weekday: number;
}

export const CRON_FORM =
  'a cron expression of 5 fields (minute hour day-of-month month day-of-week), such as "0 8 * * MON-FRI", or one of @hourly, @daily, @weekly, @monthly, @yearly';

/** The macros of Vixie cron, as the five fields they stand for. */
export const CRON_MACROS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
/** The most days each month can have (February in a leap year). */
const longestMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names for min, min+1, … */
  readonly names?: readonly string[];
}

const fields: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: monthNames },
  // 7 is Sunday as well as 0; folded into 0 after parsing.
  { name: "day-of-week", min: 0, max: 7, names: dayNames },
];

/** Parses a cron expression, or says what is wrong with it. */
export function parseCron(text: string): Cron | { readonly problem: string } {
  const trimmed = text.trim();
  const expanded = trimmed.startsWith("@") ? CRON_MACROS[trimmed.toLowerCase()] : trimmed;
  if (expanded === undefined) return { problem: `${JSON.stringify(trimmed)} is not a macro (${Object.keys(CRON_MACROS).join(", ")})` };
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5 || parts[0] === "") {
    return { problem: `${parts[0] === "" ? 0 : parts.length} fields where 5 are needed` };
  }
  const sets: Set<number>[] = [];
  for (const [index, spec] of fields.entries()) {
    const read = readField(parts[index]!, spec);
    if (typeof read === "string") return { problem: `${spec.name} field ${JSON.stringify(parts[index])}: ${read}` };
    sets.push(read);
  }
  const [minutes, hours, daysOfMonth, months, weekdays] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (weekdays.delete(7)) weekdays.add(0);
  const cron: Cron = {
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek: weekdays,
    daysOfMonthRestricted: !parts[2]!.startsWith("*"),
    daysOfWeekRestricted: !parts[4]!.startsWith("*"),
    fixedTime: !parts[0]!.startsWith("*") && !parts[1]!.startsWith("*"),
  };
  // Day-of-month alone decides the day only when day-of-week is "*"; then some listed day must
  // exist in some listed month, or the expression never matches.
  if (!cron.daysOfWeekRestricted && ![...months].some((month) => [...daysOfMonth].some((day) => day <= longestMonth[month - 1]!))) {
    return { problem: `day-of-month field ${JSON.stringify(parts[2])} never falls in month field ${JSON.stringify(parts[3])}: the expression would never match` };
  }
  return cron;
}

function readValue(text: string, spec: FieldSpec): number | string {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return spec.min + named;
  if (!/^\d{1,2}$/.test(text)) return `${JSON.stringify(text)} is not a number${spec.names ? " or a name" : ""}`;
  const value = Number(text);
  if (value < spec.min || value > spec.max) return `${value} is outside ${spec.min}-${spec.max}`;
  return value;
}

function readField(text: string, spec: FieldSpec): Set<number> | string {
  const values = new Set<number>();
  for (const item of text.split(",")) {
    const [range, stepText, extra] = item.split("/");
    if (extra !== undefined || range === undefined || range === "") return `cannot read ${JSON.stringify(item)}`;
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) === 0) return `step ${JSON.stringify(stepText)} is not a whole number from 1 to 99`;
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === "*") {
      from = spec.min;
      to = spec.max;
    } else {
      const [first, last, more] = range.split("-");
      if (more !== undefined || first === undefined || first === "" || last === "") return `cannot read ${JSON.stringify(item)}`;
      const start = readValue(first, spec);
      if (typeof start === "string") return start;
      let end = last === undefined ? (stepText === undefined ? start : spec.max) : readValue(last, spec);
      if (typeof end === "string") return end;
      // SUN ends a day-of-week range as 7, so MON-SUN runs Monday to Sunday (Vixie cron).
      if (spec.max === 7 && end === 0 && start > 0) end = 7;
      if (end < start) return `range ${JSON.stringify(range)} runs backwards`;
      from = start;
      to = end;
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

/** Whether the day (in the wall clock's calendar) matches, by day-of-month, month and day-of-week. */
export function cronMatchesDay(cron: Cron, at: Pick<WallClock, "day" | "month" | "weekday">): boolean {
  if (!cron.months.has(at.month)) return false;
  const byMonthDay = cron.daysOfMonth.has(at.day);
  const byWeekday = cron.daysOfWeek.has(at.weekday);
  if (cron.daysOfMonthRestricted && cron.daysOfWeekRestricted) return byMonthDay || byWeekday;
  return byMonthDay && byWeekday;
}

/** Whether the wall-clock minute matches. */
export function cronMatches(cron: Cron, at: WallClock): boolean {
  return cron.minutes.has(at.minute) && cron.hours.has(at.hour) && cronMatchesDay(cron, at);
}
