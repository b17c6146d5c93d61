// rangePattern against plain arithmetic: every number of several ranges, and random ranges.
import fc from "fast-check";
import { rangePattern } from "../../src/policy/range-pattern.js";

const matcher = (low: number, high: number) => new RegExp(`^(?:${rangePattern(low, high)})$`);

describe("rangePattern", () => {
  it.each<[number, number]>([
    [0, 0],
    [0, 9],
    [9, 10],
    [1, 7],
    [1, 168],
    [0, 10_080],
    [60, 604_800],
    [123, 98_765],
  ])("matches exactly %i to %i among 0 to twice the end", (low, high) => {
    const pattern = matcher(low, high);
    const wrong: number[] = [];
    for (let n = 0; n <= high * 2 + 20; n++) if (pattern.test(String(n)) !== (n >= low && n <= high)) wrong.push(n);
    expect(wrong).toEqual([]);
  });

  it("matches exactly the range for 1,000 random ranges and numbers", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), fc.array(fc.integer({ min: 0, max: 20_000_000 }), { minLength: 20, maxLength: 20 }), (a, b, numbers) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const pattern = matcher(low, high);
        for (const n of [...numbers, low, high, low - 1, high + 1].filter((n) => n >= 0)) {
          expect([low, high, n, pattern.test(String(n))]).toEqual([low, high, n, n >= low && n <= high]);
        }
      }),
      { numRuns: 1_000, seed: 15 },
    );
  });

  it("refuses a range that runs backwards, naming both ends", () => {
    expect(() => rangePattern(5, 2)).toThrow("rangePattern needs whole numbers 0 ≤ low ≤ high, got 5 and 2");
  });
});
