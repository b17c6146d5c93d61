/**
 * A regular expression (without anchors) matching the decimal integers from `low` to `high`,
 * written without leading zeros, such as "60" to "604800". JSON Schema can bound a number but
 * not the number inside a string like "90s", so the policy's JSON Schema bounds durations with
 * these. The range is cut into pieces in which every digit runs over a plain class
 * (60–99, 100–999, …, 600000–603999, …), and each piece becomes one alternative.
 */
export function rangePattern(low: number, high: number): string {
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || low < 0 || low > high) {
    throw new RangeError(`rangePattern needs whole numbers 0 ≤ low ≤ high, got ${low} and ${high}`);
  }
  const pieces: string[] = [];
  let start = low;
  for (const stop of piecesEnds(low, high)) {
    pieces.push(piecePattern(start, stop));
    start = stop + 1;
  }
  return pieces.length === 1 ? pieces[0]! : `(?:${pieces.join("|")})`;
}

/**
 * Where the pieces end: first at numbers that end in ever more nines above `low` (69, 99, 999…),
 * then at numbers just below ever rounder ones under `high` (599999, 602999, 603999, …).
 */
function piecesEnds(low: number, high: number): number[] {
  const ends = new Set<number>([high]);
  for (let nines = 1; ; nines++) {
    const end = withTrailingNines(low, nines);
    if (end < low || end > high) break;
    ends.add(end);
  }
  for (let zeros = 1; ; zeros++) {
    const end = high + 1 - ((high + 1) % 10 ** zeros) - 1;
    if (end <= low || end > high) break;
    ends.add(end);
  }
  return [...ends].sort((a, b) => a - b);
}

/** `value` with its last `count` digits replaced by nines: 604 and 2 give 699. */
function withTrailingNines(value: number, count: number): number {
  const text = String(value);
  return Number(text.length <= count ? "9".repeat(count) : text.slice(0, -count) + "9".repeat(count));
}

/** A piece whose ends have the same number of digits and differ only in a run of 0…9 tails. */
function piecePattern(start: number, stop: number): string {
  const from = String(start);
  const to = String(stop).padStart(from.length, "0");
  if (from.length !== to.length) return `${piecePattern(start, 10 ** from.length - 1)}|${piecePattern(10 ** from.length, stop)}`;
  let pattern = "";
  for (let index = 0; index < from.length; index++) {
    const a = from[index]!;
    const b = to[index]!;
    pattern += a === b ? a : a === "0" && b === "9" ? "\\d" : `[${a}-${b}]`;
  }
  return pattern;
}
