import { z } from "zod";
import { quote } from "../errors.js";
import { readNumberText, readOwnSettings } from "./alert-labels.js";
import { clip, oneLine, readWith, textMap } from "./fields.js";
import { PayloadError, type Adapter, type AlertStatus, type ScalingSignal } from "./signal.js";
import { began } from "../timings/instant.js";

const shortText = z.string().max(255);
const labelMap = textMap(64, 1024).nullish();

// Webhook schema 1.2 (https://cloud.google.com/monitoring/support/notification-options#webhooks).
// The console's "Test connection" sends the same incident shape with `version: "test"`, an
// upper-case state and `documentation` as plain text. Fields this adapter does not read are
// tolerated, not checked.
const incidentSchema = z.object({
  incident_id: z.string().min(1).max(256),
  // "open" or "closed"; test notifications send "OPEN".
  state: z.string().max(16),
  started_at: z.number().int().nullish(),
  policy_name: z.string().min(1).max(512),
  condition_name: shortText.nullish(),
  summary: z.string().max(4096).nullish(),
  url: z.string().max(2048).nullish(),
  // Text: "0.835". PromQL conditions have neither.
  observed_value: z.string().max(64).nullish(),
  threshold_value: z.string().max(64).nullish(),
  resource: z.object({ type: shortText.nullish(), labels: labelMap }).nullish(),
  metric: z.object({ type: z.string().max(512).nullish(), labels: labelMap }).nullish(),
  policy_user_labels: labelMap,
  condition: z
    .object({
      // A metric-absence condition opens an incident when data stops arriving.
      conditionAbsent: z.unknown().optional(),
      conditionPrometheusQueryLanguage: z.unknown().optional(),
    })
    .nullish(),
  documentation: z.union([z.string().max(8192), z.object({ content: z.string().max(8192).nullish() })]).nullish(),
});

const webhookSchema = z.object({
  version: z.enum(["1.2", "test"], {
    error: 'expected "1.2" (the webhook notification channel\'s schema; older channels send 1.1, which has no incident state to rely on)',
  }),
  incident: incidentSchema,
});

type Incident = z.infer<typeof incidentSchema>;

/** Reads `{ source: "google-cloud-monitoring", "google-cloud-monitoring": <webhook body> }`: one signal per incident. */
export const googleCloudMonitoringAdapter: Adapter = {
  source: "google-cloud-monitoring",
  description: 'a Google Cloud Monitoring webhook notification (schema 1.2) under the key "google-cloud-monitoring"',
  parse(payload, path) {
    const bodyPath = `${path}["google-cloud-monitoring"]`;
    const body = readWith(webhookSchema, payload["google-cloud-monitoring"], bodyPath);
    return [toSignal(body.incident, `${bodyPath}.incident`, body.version === "test")];
  },
};

function statusOf(incident: Incident, path: string): AlertStatus {
  const state = incident.state.toLowerCase();
  if (state === "closed") return "resolved";
  if (state !== "open") throw new PayloadError(`${path}.state`, `expected "open" or "closed", got ${quote(incident.state)}`);
  // An open metric-absence incident means the data is missing: never a scale signal by itself.
  return incident.condition?.conditionAbsent === undefined ? "firing" : "no-data";
}

function toSignal(incident: Incident, path: string, test: boolean): ScalingSignal {
  const status = statusOf(incident, path);
  const metricLabels = incident.metric?.labels ?? {};
  const labels: Record<string, string> = {
    ...(incident.resource?.labels ?? {}),
    ...metricLabels,
    ...(incident.policy_user_labels ?? {}),
    ...(incident.resource?.type ? { resource_type: incident.resource.type } : {}),
    ...(incident.metric?.type ? { metric_type: incident.metric.type } : {}),
  };
  const documentation = typeof incident.documentation === "string" ? incident.documentation : incident.documentation?.content;
  const annotations: Record<string, string> = {
    ...(incident.summary ? { summary: incident.summary } : {}),
    ...(incident.condition_name ? { condition: incident.condition_name } : {}),
    ...(documentation ? { documentation } : {}),
    ...(incident.url ? { url: incident.url } : {}),
  };
  // PromQL conditions carry neither observed nor threshold value; the series' value is a label.
  const promQl = incident.condition?.conditionPrometheusQueryLanguage !== undefined;
  const value =
    readNumberText(incident.observed_value, `${path}.observed_value`) ??
    (promQl ? readNumberText(metricLabels["value"], `${path}.metric.labels.value`) : undefined);
  const threshold = readNumberText(incident.threshold_value, `${path}.threshold_value`);
  // A test notification changes nothing unless a rule names it (match.labels.test: "true").
  const optInLabels = test ? { test: "true" } : undefined;
  if (test) labels["test"] = "true";
  const own = test
    ? {}
    : readOwnSettings(
        [
          { entries: incident.policy_user_labels ?? undefined, path: `${path}.policy_user_labels` },
          { entries: incident.resource?.labels ?? undefined, path: `${path}.resource.labels` },
          { entries: metricLabels, path: `${path}.metric.labels` },
        ],
        status,
      );
  const measured = [
    value === undefined ? undefined : `value ${value}`,
    threshold === undefined ? undefined : `threshold ${threshold}`,
  ].filter((part) => part !== undefined);
  const state = incident.state.toLowerCase();
  return {
    source: "google-cloud-monitoring",
    // Policy and condition names are free text: flattened to one line (see oneLine).
    reason: clip(
      oneLine(
        `${test ? "test notification: " : ""}policy ${incident.policy_name} incident ${state}${status === "no-data" ? " (metric absent)" : ""}` +
          `${incident.condition_name ? ` on ${incident.condition_name}` : ""}${measured.length > 0 ? ` (${measured.join(", ")})` : ""}`,
      ),
      300,
    ),
    // An incident is notified when it opens and when it closes, and again if the policy
    // renotifies: the same id again is renewed intent, governed by the cooldowns.
    deliveryId: oneLine(`${incident.incident_id}|${state}|${incident.started_at ?? ""}`),
    deliveryIdKind: "occurrence",
    ...(own.target === undefined ? {} : { target: own.target }),
    ...(own.adjustment === undefined ? {} : { adjustment: own.adjustment }),
    alert: {
      name: incident.policy_name,
      status,
      labels,
      annotations,
      ...(value === undefined ? {} : { value }),
      ...(threshold === undefined ? {} : { threshold }),
      ...(optInLabels ? { optInLabels } : {}),
    },
    // Epoch seconds.
    ...began(incident.started_at, "seconds"),
  };
}
