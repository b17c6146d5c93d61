import { readReasonData, regionFromArn, toSignal, type WatchedMetric } from "../adapters/cloudwatch.js";
import { clip, oneLine } from "../adapters/fields.js";
import type { ScalingSignal } from "../adapters/signal.js";
import { readInstant } from "../timings/instant.js";
import type { DescribedAlarm, DescribedDimension } from "./alarm-states.js";

const dimensions = (list: readonly DescribedDimension[] | undefined) => Object.fromEntries((list ?? []).map((d) => [d.Name, d.Value]));

function watchedMetrics(alarm: DescribedAlarm): WatchedMetric[] {
  if (alarm.MetricName !== undefined) return [{ namespace: alarm.Namespace, name: alarm.MetricName, dimensions: dimensions(alarm.Dimensions) }];
  return (alarm.Metrics ?? []).flatMap((query) =>
    query.MetricStat ? [{ namespace: query.MetricStat.Metric.Namespace, name: query.MetricStat.Metric.MetricName, dimensions: dimensions(query.MetricStat.Metric.Dimensions) }] : [],
  );
}

/**
 * An alarm still in ALARM, re-read with DescribeAlarms, as the alert signal its SNS or EventBridge
 * delivery made, but renewed: its id names this ALARM episode (ARN and the time it entered ALARM)
 * and is of kind `occurrence`, so a later run re-asks under the policy's cooldowns instead of
 * skipping it as a redelivery, as AWS step scaling keeps evaluating an alarm that stays in ALARM.
 * Alarms in another state, or whose actions are disabled (AWS's scaling ignores those), give none.
 */
export function signalFromDescribedAlarm(alarm: DescribedAlarm, path: string): ScalingSignal | undefined {
  if (alarm.StateValue !== "ALARM" || alarm.ActionsEnabled === false) return undefined;
  const returned = alarm.Metrics?.length === 1 ? alarm.Metrics[0] : alarm.Metrics?.find((query) => query.ReturnData);
  const data = readReasonData(alarm.StateReasonData);
  const since = alarm.StateTransitionedTimestamp ?? "an unknown time";
  const signal = toSignal({
    name: alarm.AlarmName,
    state: alarm.StateValue,
    description: alarm.AlarmDescription,
    stateReason: alarm.StateReason,
    region: regionFromArn(alarm.AlarmArn, `${path}.AlarmArn`),
    account: alarm.AlarmArn.split(":")[4],
    metrics: watchedMetrics(alarm),
    watches: alarm.MetricName ?? returned?.MetricStat?.Metric.MetricName ?? returned?.Label ?? returned?.Expression,
    value: data.value,
    threshold: alarm.Threshold ?? data.threshold,
    deliveryId: `${alarm.AlarmArn}|${since}`,
    // The condition began when the alarm entered ALARM, however many runs ago that was.
    began: readInstant(alarm.StateTransitionedTimestamp),
  });
  return {
    ...signal,
    reason: clip(oneLine(`${signal.reason}, still ALARM since ${since} (re-read on schedule)`), 300),
    deliveryIdKind: "occurrence",
  };
}
