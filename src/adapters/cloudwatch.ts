import { z } from "zod";
import { quote } from "../errors.js";
import { clip, oneLine, readWith, textMap } from "./fields.js";
import { PayloadError, type Adapter, type AlertStatus, type ScalingSignal } from "./signal.js";
import { readInstant } from "../timings/instant.js";

const alarmStates = ["ALARM", "OK", "INSUFFICIENT_DATA"] as const;
export type AlarmState = (typeof alarmStates)[number];

const statusOf: Record<AlarmState, AlertStatus> = { ALARM: "firing", OK: "resolved", INSUFFICIENT_DATA: "no-data" };

const shortText = z.string().max(255);

// --- SNS: the envelope, and the alarm inside it as a JSON string ------------------------------

const snsDimensions = z.array(z.object({ name: shortText, value: z.string().max(1024) })).max(30);

const snsMetricStat = z.object({
  Metric: z.object({ Namespace: shortText.optional(), MetricName: shortText.optional(), Dimensions: snsDimensions.optional() }),
});

const snsAlarmSchema = z.object({
  AlarmName: z.string().min(1).max(255),
  AlarmDescription: z.string().max(1024).nullish(),
  AWSAccountId: z.string().max(64).optional(),
  NewStateValue: z.enum(alarmStates),
  NewStateReason: z.string().max(4096).nullish(),
  OldStateValue: z.enum(alarmStates).optional(),
  AlarmArn: z.string().max(1600),
  // When the alarm changed state; read for the timings report only, so any value is tolerated.
  StateChangeTime: z.unknown().optional(),
  // Absent for composite alarms, which watch other alarms rather than metrics.
  Trigger: z
    .object({
      MetricName: shortText.optional(),
      Namespace: shortText.optional(),
      Dimensions: snsDimensions.optional(),
      ComparisonOperator: shortText.optional(),
      Threshold: z.number().optional(),
      // Metric-math alarms list their queries here instead of one MetricName.
      Metrics: z
        .array(
          z.object({
            Expression: z.string().max(2048).optional(),
            Label: shortText.nullish(),
            MetricStat: snsMetricStat.optional(),
            ReturnData: z.boolean().optional(),
          }),
        )
        .max(100)
        .optional(),
    })
    .optional(),
});

const snsEnvelopeSchema = z.object({
  Type: z.literal("Notification", {
    error: 'expected "Notification" (the relay answers subscription confirmations; they are not forwarded)',
  }),
  MessageId: z.string().min(1).max(100),
  TopicArn: z.string().max(1600).optional(),
  Message: z.string(),
  // When SNS published the message: the alarm's time when the alarm carries none.
  Timestamp: z.unknown().optional(),
});

// --- EventBridge: "CloudWatch Alarm State Change" ---------------------------------------------

const eventBridgeState = z.object({
  value: z.enum(alarmStates),
  reason: z.string().max(4096).optional(),
  // A JSON string with recentDatapoints and threshold; informative, so a bad one is ignored.
  reasonData: z.string().max(16384).optional(),
});

const eventBridgeSchema = z.object({
  id: z.string().min(1).max(100),
  "detail-type": z.literal("CloudWatch Alarm State Change"),
  // When the state changed; read for the timings report only, so any value is tolerated.
  time: z.unknown().optional(),
  source: z.literal("aws.cloudwatch"),
  account: z.string().max(64).optional(),
  region: z.string().max(64).optional(),
  detail: z.object({
    alarmName: z.string().min(1).max(255),
    state: eventBridgeState,
    previousState: z.object({ value: z.enum(alarmStates) }).optional(),
    configuration: z
      .object({
        description: z.string().max(1024).nullish(),
        metrics: z
          .array(
            z.object({
              expression: z.string().max(2048).optional(),
              label: shortText.nullish(),
              returnData: z.boolean().optional(),
              metricStat: z
                .object({
                  metric: z.object({ namespace: shortText.optional(), name: shortText.optional(), dimensions: textMap(30, 1024).optional() }),
                })
                .optional(),
            }),
          )
          .max(100)
          .optional(),
      })
      .optional(),
  }),
});

const reasonDataSchema = z.object({
  recentDatapoints: z.array(z.number()).optional(),
  evaluatedDatapoints: z.array(z.object({ timestamp: z.string(), value: z.number().optional() })).optional(),
  threshold: z.number().optional(),
});

// --- From either shape to a signal -------------------------------------------------------------

/** One metric an alarm watches: its namespace, name and dimensions. */
export interface WatchedMetric {
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** What both shapes (and a re-read of the alarm, src/reask/) say about one alarm state. */
export interface AlarmChange {
  readonly name: string;
  readonly state: AlarmState;
  readonly previousState?: AlarmState | undefined;
  readonly description?: string | null | undefined;
  readonly stateReason?: string | null | undefined;
  readonly region?: string | undefined;
  readonly account?: string | undefined;
  readonly metrics: readonly WatchedMetric[];
  /** What the alarm compares: the metric name, or the metric-math expression. */
  readonly watches?: string | undefined;
  readonly value?: number | undefined;
  readonly threshold?: number | undefined;
  readonly deliveryId: string;
  /** When the alarm changed state, where the event says so. */
  readonly began: string | undefined;
}

/**
 * Reads a CloudWatch alarm state change, delivered through SNS (`{ source: "cloudwatch", sns:
 * <SNS envelope> }`) or EventBridge (`{ source: "cloudwatch", eventbridge: <event> }`).
 */
export const cloudwatchAdapter: Adapter = {
  source: "cloudwatch",
  description: "a CloudWatch alarm state change: an SNS notification under sns, or an EventBridge event under eventbridge",
  parse(payload, path) {
    const hasSns = payload["sns"] !== undefined;
    const hasEventBridge = payload["eventbridge"] !== undefined;
    if (hasSns === hasEventBridge) {
      throw new PayloadError(
        path,
        `expected exactly one of "sns" (an SNS notification) or "eventbridge" (an EventBridge event), got ${hasSns ? "both" : "neither"}`,
      );
    }
    const change = hasSns ? fromSns(payload["sns"], `${path}.sns`) : fromEventBridge(payload["eventbridge"], `${path}.eventbridge`);
    return [toSignal(change)];
  },
};

function fromSns(value: unknown, path: string): AlarmChange {
  const envelope = readWith(snsEnvelopeSchema, value, path);
  let message: unknown;
  try {
    message = JSON.parse(envelope.Message);
  } catch {
    throw new PayloadError(`${path}.Message`, `expected a CloudWatch alarm as a JSON string, got ${quote(envelope.Message)}`);
  }
  const alarm = readWith(snsAlarmSchema, message, `${path}.Message`);
  const trigger = alarm.Trigger;
  const dimensions = (list: z.infer<typeof snsDimensions> | undefined) =>
    Object.fromEntries((list ?? []).map((dimension) => [dimension.name, dimension.value]));
  const metrics: WatchedMetric[] = trigger?.MetricName
    ? [{ namespace: trigger.Namespace, name: trigger.MetricName, dimensions: dimensions(trigger.Dimensions) }]
    : (trigger?.Metrics ?? []).flatMap((query) =>
        query.MetricStat
          ? [{ namespace: query.MetricStat.Metric.Namespace, name: query.MetricStat.Metric.MetricName, dimensions: dimensions(query.MetricStat.Metric.Dimensions) }]
          : [],
      );
  const returned = trigger?.Metrics?.find((query) => query.ReturnData);
  return {
    name: alarm.AlarmName,
    state: alarm.NewStateValue,
    previousState: alarm.OldStateValue,
    description: alarm.AlarmDescription,
    stateReason: alarm.NewStateReason,
    // `Region` is a display name such as "US East (N. Virginia)"; the ARN holds the code.
    region: regionFromArn(alarm.AlarmArn, `${path}.Message.AlarmArn`),
    account: alarm.AWSAccountId,
    metrics,
    watches: trigger?.MetricName ?? returned?.Label ?? returned?.Expression ?? returned?.MetricStat?.Metric.MetricName,
    // SNS carries no datapoints outside the wording of NewStateReason, which is not parsed.
    threshold: trigger?.Threshold,
    deliveryId: envelope.MessageId,
    began: readInstant(alarm.StateChangeTime) ?? readInstant(envelope.Timestamp),
  };
}

function fromEventBridge(value: unknown, path: string): AlarmChange {
  const event = readWith(eventBridgeSchema, value, path);
  const { detail } = event;
  const queries = detail.configuration?.metrics ?? [];
  const metrics: WatchedMetric[] = queries.flatMap((query) =>
    query.metricStat
      ? [{ namespace: query.metricStat.metric.namespace, name: query.metricStat.metric.name, dimensions: query.metricStat.metric.dimensions ?? {} }]
      : [],
  );
  const returned = queries.length === 1 ? queries[0] : queries.find((query) => query.returnData);
  const data = readReasonData(detail.state.reasonData);
  return {
    name: detail.alarmName,
    state: detail.state.value,
    previousState: detail.previousState?.value,
    description: detail.configuration?.description,
    stateReason: detail.state.reason,
    region: event.region,
    account: event.account,
    metrics,
    watches: returned?.metricStat?.metric.name ?? returned?.label ?? returned?.expression,
    value: data.value,
    threshold: data.threshold,
    deliveryId: event.id,
    began: readInstant(event.time),
  };
}

/** The newest datapoint and the threshold from `reasonData`, where it holds them. */
export function readReasonData(text: string | undefined): { value?: number; threshold?: number } {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  const result = reasonDataSchema.safeParse(parsed);
  if (!result.success) return {};
  const { recentDatapoints, evaluatedDatapoints, threshold } = result.data;
  // evaluatedDatapoints carry timestamps, so the newest is certain; recentDatapoints do not, and
  // hold one value for the common one-datapoint alarm.
  const timed = (evaluatedDatapoints ?? []).filter((point) => point.value !== undefined);
  const newest = timed.length > 0 ? timed.reduce((a, b) => (b.timestamp > a.timestamp ? b : a)).value : recentDatapoints?.at(-1);
  return { ...(newest === undefined ? {} : { value: newest }), ...(threshold === undefined ? {} : { threshold }) };
}

export function regionFromArn(arn: string, path: string): string {
  const parts = arn.split(":");
  if (parts.length < 7 || parts[0] !== "arn" || parts[3] === "") {
    throw new PayloadError(path, `expected an alarm ARN such as "arn:aws:cloudwatch:us-east-1:123456789012:alarm:name", got ${quote(arn)}`);
  }
  return parts[3]!;
}

/**
 * Labels every watched metric agrees on: a single-metric alarm's namespace, metric and
 * dimensions; for metric math only what all its metrics share, as Alertmanager's commonLabels.
 */
function commonLabels(metrics: readonly WatchedMetric[]): Record<string, string> {
  const sets = metrics.map((metric): Record<string, string> => ({
    ...metric.dimensions,
    ...(metric.namespace === undefined ? {} : { namespace: metric.namespace }),
    ...(metric.name === undefined ? {} : { metric: metric.name }),
  }));
  const [first, ...rest] = sets;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first).filter(([key, value]) => rest.every((set) => set[key] === value)));
}

export function toSignal(change: AlarmChange): ScalingSignal {
  const labels = {
    ...commonLabels(change.metrics),
    ...(change.region === undefined ? {} : { region: change.region }),
    ...(change.account === undefined ? {} : { account: change.account }),
  };
  const annotations = {
    ...(change.description ? { description: change.description } : {}),
    // For people only: its wording varies, so no decision depends on it.
    ...(change.stateReason ? { reason: change.stateReason } : {}),
    ...(change.previousState ? { previous_state: change.previousState } : {}),
  };
  const measured = [
    change.watches !== undefined && change.value !== undefined ? `${change.watches} ${change.value}` : change.watches,
    change.watches === undefined && change.value !== undefined ? `value ${change.value}` : undefined,
    change.threshold === undefined ? undefined : `threshold ${change.threshold}`,
  ].filter((part) => part !== undefined);
  const transition = change.previousState ? `${change.previousState} → ${change.state}` : change.state;
  return {
    source: "cloudwatch",
    // Alarm names and metric labels and expressions are free text: flattened to one line (see oneLine).
    reason: clip(oneLine(`alarm ${change.name} ${transition}${measured.length > 0 ? ` (${measured.join(", ")})` : ""}`), 300),
    deliveryId: oneLine(change.deliveryId),
    ...(change.began === undefined ? {} : { began: change.began }),
    alert: {
      name: change.name,
      status: statusOf[change.state],
      labels,
      annotations,
      ...(change.value === undefined ? {} : { value: change.value }),
      ...(change.threshold === undefined ? {} : { threshold: change.threshold }),
    },
  };
}
