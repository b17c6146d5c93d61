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

/** Grafana's webhook contact point docs: two firing alerts (`version: "1"`). */
export const grafanaFiring = () => fixture("grafana/webhook-firing.docs.json");
/** Azure Monitor's common alert schema docs: a resolved metric alert. */
export const azureMetricResolved = () => fixture("azure-monitor/common-alert-schema-metric-resolved.docs.json");
/** Cloud Monitoring's notification docs: a closed incident, webhook schema 1.2. */
export const googleClosed = () => fixture("google-cloud-monitoring/webhook-1.2-closed.docs.json");
/** The default body template of Datadog's webhooks integration (a template, not a delivery). */
export const datadogDefaultTemplate = () => fixture("datadog/default-body-template.docs.json");

/**
 * PulumiScale's Datadog payload template (examples/alerts/datadog/payload-template.json) with its
 * variables filled in as Datadog does: each `$NAME` replaced by `variables[NAME]` (JSON-escaped).
 */
export function datadogDelivery(variables: Readonly<Record<string, string>>): Record<string, unknown> {
  const template = readFileSync(new URL("../../examples/alerts/datadog/payload-template.json", import.meta.url), "utf8");
  const filled = template.replace(/\$([A-Z_]+)/g, (written, name: string) =>
    variables[name] === undefined ? written : JSON.stringify(variables[name]).slice(1, -1),
  );
  return JSON.parse(filled);
}
