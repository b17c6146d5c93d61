/** The oldest Pulumi CLI the runner's commands and flags are known to work with. */
export const MIN_PULUMI_VERSION = "3.170.0";

/** Releases whose targeted updates corrupt state or ignore targets. */
const KNOWN_BAD = [
  { from: "3.66.0", to: "3.67.1", why: "targeted updates can corrupt the stack state" },
  { from: "3.120.0", to: "3.120.0", why: "targeted updates are broken" },
];

function parse(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function compare(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Why this CLI version must not be used, or undefined when it is fine. */
export function unsuitableVersion(version: string): string | undefined {
  const parsed = parse(version);
  if (!parsed) return `cannot read the version ${JSON.stringify(version.trim())}`;
  if (compare(parsed, parse(MIN_PULUMI_VERSION)!) < 0) return `it is older than ${MIN_PULUMI_VERSION}`;
  const bad = KNOWN_BAD.find(({ from, to }) => compare(parsed, parse(from)!) >= 0 && compare(parsed, parse(to)!) <= 0);
  return bad ? bad.why : undefined;
}
