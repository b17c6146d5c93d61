import type { ScalingSignal } from "../adapters/signal.js";
import type { Policy } from "../policy/schema.js";
import { alarmsToReask, MAX_NAMES_PER_CALL, type NamedAlarm } from "./alarm-names.js";
import { signalFromDescribedAlarm } from "./alarm-signals.js";
import type { AlarmStates, DescribedAlarm } from "./alarm-states.js";

export interface Reasked {
  /** One firing signal per named alarm still in ALARM. */
  readonly signals: ScalingSignal[];
  /** What could not be re-read, one line each: for a warning annotation, never a failure. */
  readonly warnings: string[];
}

/** DescribeAlarms pages; a bound keeps a misbehaving endpoint from looping the run. */
const MAX_PAGES = 20;

/**
 * Re-reads the alarms the policy's rules name and returns those still in ALARM as renewed
 * signals. A failed call or a missing alarm is a warning: the schedule run goes on, so a broken
 * re-ask never stops a schedule window from raising a floor.
 */
export async function reaskAlarms(policy: Policy, states: AlarmStates, defaultRegion: string, policyOutput: string): Promise<Reasked> {
  const byRegion = new Map<string, NamedAlarm[]>();
  for (const alarm of alarmsToReask(policy, defaultRegion)) byRegion.set(alarm.region, [...(byRegion.get(alarm.region) ?? []), alarm]);
  const signals: ScalingSignal[] = [];
  const warnings: string[] = [];
  for (const [region, named] of byRegion) {
    for (let start = 0; start < named.length; start += MAX_NAMES_PER_CALL) {
      const batch = named.slice(start, start + MAX_NAMES_PER_CALL);
      let described: DescribedAlarm[];
      try {
        described = await describeAll(states, region, batch.map((alarm) => alarm.name));
      } catch (error) {
        warnings.push(`could not re-read CloudWatch alarms ${batch.map((alarm) => JSON.stringify(alarm.name)).join(", ")} in ${region}: ${(error as Error).message}`);
        continue;
      }
      for (const alarm of batch) {
        const found = described.find((entry) => entry.AlarmName === alarm.name);
        if (!found) {
          warnings.push(`policy ${policyOutput}.rules.${alarm.rule} names CloudWatch alarm ${JSON.stringify(alarm.name)}, which DescribeAlarms does not return in ${region}`);
          continue;
        }
        try {
          const signal = signalFromDescribedAlarm(found, `DescribeAlarms(${region}).${alarm.name}`);
          if (signal) signals.push(signal);
        } catch (error) {
          warnings.push(`could not read CloudWatch alarm ${JSON.stringify(alarm.name)} in ${region}: ${(error as Error).message}`);
        }
      }
    }
  }
  return { signals, warnings };
}

async function describeAll(states: AlarmStates, region: string, names: string[]): Promise<DescribedAlarm[]> {
  const alarms: DescribedAlarm[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await states.describeAlarms(region, { AlarmNames: names, AlarmTypes: ["MetricAlarm", "CompositeAlarm"], ...(nextToken ? { NextToken: nextToken } : {}) });
    alarms.push(...(answer.MetricAlarms ?? []), ...(answer.CompositeAlarms ?? []));
    nextToken = answer.NextToken;
    if (!nextToken) return alarms;
  }
  throw new Error(`DescribeAlarms still had more pages after ${MAX_PAGES}`);
}
