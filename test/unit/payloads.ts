// Reads the payload fixtures and wraps them the way they reach the action.
import { readFileSync } from "node:fs";

/** A fixture under test/fixtures/payloads/, parsed; a fresh copy on every call. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/payloads/${name}`, import.meta.url), "utf8"));
}

/** The SNS envelope inside a Lambda SNS event (`Records[0].Sns`). */
export function snsFromLambdaEvent(name: string): Record<string, unknown> {
  const event = fixture(name) as { Records: { Sns: Record<string, unknown> }[] };
  return event.Records[0]!.Sns;
}

export const alertmanagerFiring = () => fixture("alertmanager/alertmanager-0.25.0-firing.raw.json");
export const alertmanagerResolved = () => fixture("alertmanager/alertmanager-0.25.0-resolved.raw.json");
export const snsSingleMetric = () => snsFromLambdaEvent("cloudwatch/lambda-sns-cloudwatch-alarm-single-metric.aws-lambda-go.json");
export const snsMetricMath = () => snsFromLambdaEvent("cloudwatch/lambda-sns-cloudwatch-alarm-multiple-metrics.aws-lambda-go.json");
export const eventBridgeAlarm = () => fixture("cloudwatch/eventbridge-state-change-for-a-single-metric-alarm.json");

/** The SNS guide's example notification carrying `message` (an object is sent as JSON text). */
export function snsNotification(message: unknown): Record<string, unknown> {
  return { ...fixture("sns/sns-notification.json"), Message: typeof message === "string" ? message : JSON.stringify(message) };
}
