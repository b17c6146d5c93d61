import { z } from "zod";
import { distinguishingLabels, readOwnSettings } from "./alert-labels.js";
import { alertmanagerAlertSchema } from "./alertmanager.js";
import { clip, oneLine, readWith, textMap } from "./fields.js";
import type { Adapter, AlertStatus, ScalingSignal } from "./signal.js";
import { began } from "../timings/instant.js";

/**
 * Alert names Grafana gives the alerts it makes when a rule's query returns no data or fails,
 * with the rule's own name in the `rulename` label (rules whose No Data or Error state is set
 * to "No Data" or "Error").
 */
const MISSING_DATA_ALERTS: readonly string[] = ["DatasourceNoData", "DatasourceError"];
/**
 * Grafana 10+ sets this annotation when an alert's state comes from missing data or a failed
 * query rather than from its condition (No Data or Error state set to "Alerting" or "Normal").
 */
const STATE_REASON_ANNOTATION = "grafana_state_reason";
const MISSING_DATA_REASONS: readonly string[] = ["NoData", "Error"];

const alertSchema = alertmanagerAlertSchema.extend({
  // refId → value of each query and expression. Grafana sends null for an alert without any.
  values: z
    .record(z.string().max(128), z.number().nullable())
    .refine((values) => Object.keys(values).length <= 64, { message: "expected at most 64 entries" })
    .nullish(),
});

// The webhook contact point's body: Alertmanager's message with `version: "1"` and Grafana's own
// fields (orgId, state, title, message, per-alert values, dashboardURL, panelURL, imageURL, ...).
// Fields this adapter does not read are tolerated, not checked.
const webhookSchema = z.object({
  version: z.literal("1", {
    error: 'expected "1" (the body of Grafana\'s webhook contact point; send Prometheus Alertmanager\'s own webhook with source "alertmanager")',
  }),
  orgId: z.number().int().min(0),
  groupKey: z.string().max(1024),
  truncatedAlerts: z.number().int().min(0).optional(),
  commonLabels: textMap(64, 1024).nullish(),
  alerts: z.array(alertSchema).max(1000),
});

type Alert = z.infer<typeof alertSchema>;

/** Reads `{ source: "grafana", grafana: <webhook contact point body> }`: one signal per alert. */
export const grafanaAdapter: Adapter = {
  source: "grafana",
  description: "a Grafana Alerting webhook contact point body (version 1, Grafana 9 to 12) under the key grafana",
  parse(payload, path) {
    const bodyPath = `${path}.grafana`;
    const body = readWith(webhookSchema, payload["grafana"], bodyPath);
    const truncated = body.truncatedAlerts ?? 0;
    return body.alerts.map((alert, index) =>
      toSignal(alert, `${bodyPath}.alerts[${index}]`, body.orgId, body.groupKey, body.commonLabels ?? {}, truncated),
    );
  },
};

/**
 * Missing data is never a scale signal: an alert about missing data that fires, or any alert
 * whose state Grafana set from missing data, is `no-data`. A resolved DatasourceNoData (the data
 * came back) stays `resolved` under its own name, which no rule about the original alert matches.
 */
function statusOf(alert: Alert): AlertStatus {
  const reason = alert.annotations?.[STATE_REASON_ANNOTATION];
  if (reason !== undefined && MISSING_DATA_REASONS.includes(reason)) return "no-data";
  if (alert.status === "firing" && MISSING_DATA_ALERTS.includes(alert.labels["alertname"]!)) return "no-data";
  return alert.status;
}

function toSignal(
  alert: Alert,
  path: string,
  orgId: number,
  groupKey: string,
  commonLabels: Readonly<Record<string, string>>,
  truncated: number,
): ScalingSignal {
  const name = alert.labels["alertname"]!;
  const annotations = alert.annotations ?? {};
  const status = statusOf(alert);
  const { target, adjustment } = readOwnSettings(
    [
      { entries: alert.labels, path: `${path}.labels` },
      { entries: alert.annotations, path: `${path}.annotations` },
    ],
    status,
  );
  // A value Grafana could not compute is sent as null: it is no value, not zero.
  const values = Object.fromEntries(
    Object.entries(alert.values ?? {}).filter((entry): entry is [string, number] => entry[1] !== null),
  );
  const measured = Object.entries(values)
    .map(([refId, value]) => `${refId}=${value}`)
    .join(", ");
  const summary = annotations["summary"] ?? annotations["description"];
  const said = status === "no-data" ? `no data (${annotations[STATE_REASON_ANNOTATION] ?? name})` : status;
  const note = truncated > 0 ? ` (Grafana left ${truncated} more alerts of this group out)` : "";
  return {
    source: "grafana",
    // Names, labels and annotations are free text: the reason is flattened to one line (see oneLine).
    reason:
      clip(
        oneLine(`${name}${distinguishingLabels(alert.labels, commonLabels)} ${said}${measured ? ` [${measured}]` : ""}${summary ? `: ${summary}` : ""}`),
        300,
      ) + note,
    // Fingerprints are unique within one organization only; the status keeps a resolution apart.
    deliveryId: oneLine(`${orgId}|${groupKey}|${alert.fingerprint}|${alert.startsAt}|${alert.status}`),
    // Grafana repeats a firing group every repeat interval, as Alertmanager does: intent, not a redelivery.
    deliveryIdKind: "occurrence",
    ...(target === undefined ? {} : { target }),
    ...(adjustment === undefined ? {} : { adjustment }),
    alert: {
      name,
      status,
      labels: alert.labels,
      annotations,
      ...(Object.keys(values).length === 0 ? {} : { values }),
    },
    ...began(alert.startsAt),
  };
}
