import type { Policy } from "../policy/schema.js";

/** DescribeAlarms takes at most 100 names a call (AWS API reference, `AlarmNames`). */
export const MAX_NAMES_PER_CALL = 100;

/** One alarm a rule names, and the rule, for warnings. */
export interface NamedAlarm {
  readonly name: string;
  readonly region: string;
  readonly rule: number;
}

/**
 * The alarms worth re-reading: named by a rule for CloudWatch with a `firing` adjustment. Only
 * ALARM is re-asked, so rules with only `resolved` or `noData` stay edge-triggered. The region is
 * the rule's `match.labels.region`, else the runner's.
 */
export function alarmsToReask(policy: Policy, defaultRegion: string): NamedAlarm[] {
  const seen = new Set<string>();
  const alarms: NamedAlarm[] = [];
  for (const [rule, { match, firing }] of (policy.rules ?? []).entries()) {
    if (match.source !== "cloudwatch" || match.name === undefined || firing === undefined) continue;
    const region = match.labels?.["region"] ?? defaultRegion;
    const key = `${region}\u0000${match.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    alarms.push({ name: match.name, region, rule });
  }
  return alarms;
}
