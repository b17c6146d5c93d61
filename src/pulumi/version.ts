/**
 * The oldest Pulumi CLI the integration tests pass with (the version matrix in
 * docs/operations.md). Older CLIs lack stack tags on file and cloud-storage backends (added in
 * 3.211.0), where the stabilization memory lives; this also keeps out the releases whose targeted
 * updates are broken (3.66.0–3.67.1 can corrupt state; 3.120.0).
 */
export const MIN_PULUMI_VERSION = "3.224.0";

function parse(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Why this CLI version must not be used, or undefined when it is fine. */
export function unsuitableVersion(version: string): string | undefined {
  const parsed = parse(version);
  if (!parsed) return `cannot read the version ${JSON.stringify(version.trim())}`;
  const [major, minor, patch] = parsed;
  const [minMajor, minMinor, minPatch] = parse(MIN_PULUMI_VERSION)!;
  const older = major - minMajor || minor - minMinor || patch - minPatch;
  return older < 0 ? `it is older than ${MIN_PULUMI_VERSION}` : undefined;
}
