import path from "node:path";
import type { WorkflowEvent } from "../event.js";
import { fromAlertmanager, fromEventBridge, fromSnsNotification } from "../relay/payload.js";

/**
 * A saved file, read as the workflow event it would start: the event itself, or a raw alert body
 * wrapped the way the relay (or an EventBridge input transformer) forwards it.
 */
export type ReplayEvent =
  | { readonly kind: "event"; readonly event: WorkflowEvent; readonly shape: string }
  /** A body the action never receives (the relay answers it), with why. */
  | { readonly kind: "ignored"; readonly why: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const dispatch = (clientPayload: unknown, shape: string): ReplayEvent => ({
  kind: "event",
  event: { name: "repository_dispatch", payload: { action: "pulumiscale", client_payload: clientPayload } },
  shape,
});

/** Reads one saved file's JSON as the event it stands for. */
export function replayEventOf(value: unknown, file: string): ReplayEvent {
  if (!isRecord(value)) return dispatch(value, "client_payload");
  if ("client_payload" in value) return { kind: "event", event: { name: "repository_dispatch", payload: value }, shape: "repository_dispatch event" };
  if (typeof value["schedule"] === "string") return { kind: "event", event: { name: "schedule", payload: value }, shape: "schedule event" };
  if (isRecord(value["inputs"])) return { kind: "event", event: { name: "workflow_dispatch", payload: value }, shape: "workflow_dispatch event" };
  const records = value["Records"];
  if (Array.isArray(records) && isRecord(records[0]) && isRecord(records[0]["Sns"])) {
    return snsEnvelope(records[0]["Sns"], "SNS notification (from a Lambda SNS event), as the relay forwards it");
  }
  if (typeof value["Type"] === "string" && typeof value["MessageId"] === "string") {
    return snsEnvelope(value, "SNS notification, as the relay forwards it");
  }
  if (typeof value["detail-type"] === "string") return dispatch(fromEventBridge(value).payload, "EventBridge event, as an API destination forwards it");
  if (value["version"] === "4" && Array.isArray(value["alerts"])) {
    return dispatch(fromAlertmanager(value).payload, "Alertmanager webhook, as the relay forwards it");
  }
  if (typeof value["AlarmName"] === "string" && typeof value["NewStateValue"] === "string") {
    // The alarm message alone: SNS delivers it as the Message of a notification.
    const envelope = { Type: "Notification", MessageId: `file:${path.basename(file)}`, Message: JSON.stringify(value) };
    return dispatch(fromSnsNotification(envelope).payload, "CloudWatch alarm message, wrapped in an SNS notification");
  }
  return dispatch(value, "client_payload");
}

function snsEnvelope(envelope: Record<string, unknown>, shape: string): ReplayEvent {
  if (envelope["Type"] === "SubscriptionConfirmation" || envelope["Type"] === "UnsubscribeConfirmation") {
    return { kind: "ignored", why: `an SNS ${String(envelope["Type"])}: the relay answers it; the action never receives one` };
  }
  return dispatch(fromSnsNotification(envelope).payload, shape);
}
