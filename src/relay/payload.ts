import { MAX_PAYLOAD_BYTES, parsePayload } from "../adapters/registry.js";
import { PayloadError } from "../adapters/signal.js";
import { MAX_JSON_DEPTH, tooDeep } from "./json-depth.js";
import { earliest } from "../timings/stages.js";
import { stackPattern, type RelayConfig, type Route } from "./config.js";

/**
 * Turns inbound webhook bodies into dispatch payloads. Pure: no I/O. A raw body is never spread
 * into client_payload (GitHub allows 10 top-level keys; Alertmanager alone sends 10 to 12): it is
 * nested under one key, next to `source` and, when a route names one, `stack`.
 */

/** GitHub allows at most this many top-level keys in client_payload. */
export const MAX_CLIENT_PAYLOAD_KEYS = 10;

/** A payload ready for routing: what to send, and the labels routes are matched against. */
export interface InboundPayload {
  readonly payload: Record<string, unknown>;
  readonly routeLabels: Readonly<Record<string, string>>;
  /**
   * What may be left out, in this order, while the dispatch is over GitHub's size limit: parts
   * of the body the action does not read. Each one left out is named in the dispatch.
   */
  readonly droppable?: readonly Droppable[];
  /**
   * The key of an Alertmanager-shaped message (an `alerts` list and `truncatedAlerts`) whose
   * alerts may be left out, after everything droppable, until the dispatch fits.
   */
  readonly alertsKey?: string;
}

/** A part of a body that may be left out to fit GitHub's limit, and how to say so. */
export interface Droppable {
  /** What is left out, for the dispatch's `relay.dropped` and the relay's answer. */
  readonly what: string;
  /** The payload without it; the same payload when it is not there. */
  readonly drop: (clientPayload: Record<string, unknown>) => Record<string, unknown>;
}

/** A copy of `record` with `keys` removed from the object at `path` (nothing when the path leads nowhere). */
export function withoutKeys(record: Record<string, unknown>, path: readonly string[], keys: readonly string[]): Record<string, unknown> {
  if (path.length === 0) return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
  const [head, ...rest] = path;
  const inner = record[head!];
  if (Array.isArray(inner)) {
    return { ...record, [head!]: inner.map((item) => (isRecord(item) ? withoutKeys(item, rest, keys) : item)) };
  }
  return isRecord(inner) ? { ...record, [head!]: withoutKeys(inner, rest, keys) } : record;
}

/** The request body is bigger than a dispatch may be, and nothing can be trimmed. */
export class PayloadTooLargeError extends Error {
  override readonly name = "PayloadTooLargeError";
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function textEntries(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

export function fromAlertmanager(body: unknown): InboundPayload {
  if (!isRecord(body)) throw new PayloadError("body", "expected an Alertmanager webhook message (a JSON object)");
  // Routes match the group's common labels: every alert in the group has them.
  return { payload: { source: "alertmanager", alertmanager: body }, routeLabels: textEntries(body["commonLabels"]), alertsKey: "alertmanager" };
}

export function fromSnsNotification(envelope: Readonly<Record<string, unknown>>): InboundPayload {
  const routeLabels: Record<string, string> = {};
  if (typeof envelope["TopicArn"] === "string") routeLabels["topic_arn"] = envelope["TopicArn"];
  let alarm: unknown;
  try {
    alarm = JSON.parse(String(envelope["Message"]));
  } catch {
    // Not an alarm: the cloudwatch adapter says what is wrong when the payload is validated.
  }
  const deep = tooDeep(alarm, MAX_JSON_DEPTH, "Message");
  if (deep !== undefined) {
    throw new PayloadError("body.Message", `${deep.slice(0, 200)} nests more than ${MAX_JSON_DEPTH} levels deep; at most ${MAX_JSON_DEPTH} are accepted`);
  }
  if (isRecord(alarm) && typeof alarm["AlarmName"] === "string") routeLabels["alarm_name"] = alarm["AlarmName"];
  return { payload: { source: "cloudwatch", sns: envelope }, routeLabels };
}

export function fromEventBridge(body: unknown): InboundPayload {
  if (!isRecord(body)) throw new PayloadError("body", "expected an EventBridge event (a JSON object)");
  const detail = body["detail"];
  const alarmName = isRecord(detail) && typeof detail["alarmName"] === "string" ? detail["alarmName"] : undefined;
  return { payload: { source: "cloudwatch", eventbridge: body }, routeLabels: alarmName ? { alarm_name: alarmName } : {} };
}

/** `{ "source"?: "delta" | "count", "target", "delta" | "count", "reason"?, "id"?, "stack"? }`, sent as is. */
/** The labels of an object's text values, for routes (numbers and nested objects are left out). */
export function routeLabelsOf(value: unknown): Record<string, string> {
  return textEntries(value);
}

export function fromGenericRequest(body: unknown): InboundPayload {
  if (!isRecord(body)) throw new PayloadError("body", 'expected a JSON object such as { "target": "workers", "delta": 2 }');
  const source = body["source"];
  if (source !== undefined && source !== "delta" && source !== "count") {
    throw new PayloadError(
      "body.source",
      `this endpoint forwards delta and count requests, got ${JSON.stringify(source)}; send alerts to /alertmanager, /sns, /eventbridge, /grafana, /azure-monitor, /google-cloud-monitoring or /datadog`,
    );
  }
  return { payload: body, routeLabels: typeof body["target"] === "string" ? { target: body["target"] } : {} };
}

function wildcardMatches(pattern: string, value: string): boolean {
  const expression = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${expression}$`).test(value);
}

/** The first route whose every label matches, else the default route, else undefined. */
export function chooseRoute(config: Pick<RelayConfig, "routes" | "defaultRoute">, labels: Readonly<Record<string, string>>): Route | undefined {
  const match = config.routes.find((route) =>
    Object.entries(route.match).every(([name, pattern]) => labels[name] !== undefined && wildcardMatches(pattern, labels[name])),
  );
  return match ?? config.defaultRoute;
}

export interface PreparedDispatch {
  /** `relay.dispatched` holds the time it was prepared; stampDispatched sets each attempt's. */
  readonly clientPayload: Record<string, unknown>;
  /** When the earliest condition in it began, by its source's clock; absent when unknown. */
  readonly began?: string;
  /** Alerts left out so the dispatch fits GitHub's size limit; 0 when nothing was trimmed. */
  readonly trimmedAlerts: number;
  /** The parts of the body left out so the dispatch fits (see InboundPayload.droppable). */
  readonly dropped: readonly string[];
}

function requestBytes(eventType: string, clientPayload: Record<string, unknown>): number {
  return Buffer.byteLength(JSON.stringify({ event_type: eventType, client_payload: clientPayload }));
}

/**
 * Adds the route's stack, makes the dispatch fit GitHub's limits and validates it with the
 * action's own adapters, so anything forwarded is something the action can read.
 * Throws PayloadError (invalid) or PayloadTooLargeError (cannot be made to fit).
 */
export function prepareDispatch(inbound: InboundPayload, route: Route, received?: Date): PreparedDispatch {
  let clientPayload: Record<string, unknown> = { ...inbound.payload };
  if (route.stack !== undefined && clientPayload["stack"] === undefined) clientPayload["stack"] = route.stack;
  // The relay's own instants sit under the one `relay` key. They are in place before the size is
  // measured, and stamping an attempt keeps their length, so the dispatch still fits.
  if (received) clientPayload["relay"] = relayInstants(received);

  let trimmedAlerts = 0;
  // The whole request body stays under GitHub's 64 KB, which is stricter than client_payload alone.
  // First what the action does not read goes, by rule and in order, and the dispatch says so.
  const dropped: string[] = [];
  for (const part of inbound.droppable ?? []) {
    if (requestBytes(route.eventType, clientPayload) < MAX_PAYLOAD_BYTES) break;
    const { relay: earlier, ...rest } = clientPayload;
    const smaller = part.drop(rest);
    if (JSON.stringify(smaller) === JSON.stringify(rest)) continue;
    dropped.push(part.what);
    const instants = isRecord(earlier) ? { received: earlier["received"], dispatched: earlier["dispatched"] } : {};
    clientPayload = { ...smaller, relay: { ...instants, dropped: [...dropped], note: `left out to fit GitHub's 64 KB limit: ${dropped.join("; ")}` } };
  }
  if (requestBytes(route.eventType, clientPayload) >= MAX_PAYLOAD_BYTES) {
    const trimmed = inbound.alertsKey !== undefined ? trimAlerts(clientPayload, inbound.alertsKey, route.eventType) : undefined;
    if (!trimmed) {
      throw new PayloadTooLargeError(
        `the dispatch would be ${requestBytes(route.eventType, clientPayload)} bytes; GitHub accepts less than ${MAX_PAYLOAD_BYTES}`,
      );
    }
    ({ clientPayload, trimmedAlerts } = trimmed);
  }

  const keys = Object.keys(clientPayload).length;
  if (keys > MAX_CLIENT_PAYLOAD_KEYS) {
    throw new PayloadError("client_payload", `has ${keys} top-level keys; GitHub accepts at most ${MAX_CLIENT_PAYLOAD_KEYS}`);
  }
  // The action reads `stack` itself and hands the rest to the adapters (src/event.ts); do the same.
  const { stack, ...forAdapters } = clientPayload;
  if (stack !== undefined && (typeof stack !== "string" || !stackPattern.test(stack))) {
    throw new PayloadError("client_payload.stack", `expected a stack as organization/project/stack, got ${JSON.stringify(stack)}`);
  }
  const signals = parsePayload(forAdapters, "client_payload");
  const began = earliest(signals.map((signal) => signal.began));
  return { clientPayload, trimmedAlerts, dropped, ...(began === undefined ? {} : { began }) };
}

/** `relay: { received, dispatched }` as prepared: dispatched is stamped again on each attempt. */
function relayInstants(received: Date): Record<string, unknown> {
  return { received: received.toISOString(), dispatched: received.toISOString() };
}

/** The payload with `relay.dispatched` set to when this attempt is sent. */
export function stampDispatched(clientPayload: Record<string, unknown>, sentAt: Date): Record<string, unknown> {
  const relay = clientPayload["relay"];
  if (!isRecord(relay) || relay["dispatched"] === undefined) return clientPayload;
  return { ...clientPayload, relay: { ...relay, dispatched: sentAt.toISOString() } };
}

/**
 * Leaves out alerts until the dispatch fits: resolved alerts go first, then the last firing
 * ones. Alertmanager's own `truncatedAlerts` counts what is missing, and a top-level `relay`
 * note says so for people reading the event. Undefined when even one alert does not fit.
 */
function trimAlerts(
  clientPayload: Record<string, unknown>,
  key: string,
  eventType: string,
): { clientPayload: Record<string, unknown>; trimmedAlerts: number } | undefined {
  const message = clientPayload[key];
  const earlier = isRecord(clientPayload["relay"]) ? clientPayload["relay"] : {};
  if (!isRecord(message) || !Array.isArray(message["alerts"])) return undefined;
  const alerts: unknown[] = message["alerts"];
  if (alerts.length === 0) return undefined;
  const isResolved = (alert: unknown) => isRecord(alert) && alert["status"] === "resolved";
  const indexes = alerts.map((_, index) => index);
  const firstToKeep = [
    ...indexes.filter((index) => !isResolved(alerts[index])),
    ...indexes.filter((index) => isResolved(alerts[index])),
  ];
  const alreadyTruncated = typeof message["truncatedAlerts"] === "number" ? message["truncatedAlerts"] : 0;

  const withFirst = (count: number): Record<string, unknown> => {
    const kept = new Set(firstToKeep.slice(0, count));
    const trimmedAlerts = alerts.length - count;
    return {
      ...clientPayload,
      [key]: { ...message, alerts: alerts.filter((_, index) => kept.has(index)), truncatedAlerts: alreadyTruncated + trimmedAlerts },
      relay: {
        ...earlier,
        trimmedAlerts,
        note: [typeof earlier["note"] === "string" ? earlier["note"] : "", `${trimmedAlerts} of ${alerts.length} alerts were left out to fit GitHub's 64 KB limit`]
          .filter(Boolean)
          .join("; "),
      },
    };
  };
  const fits = (count: number) => requestBytes(eventType, withFirst(count)) < MAX_PAYLOAD_BYTES;

  // The largest count that fits, by bisection: each probe serialises the payload once.
  if (!fits(1)) return undefined;
  let low = 1;
  let high = alerts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return { clientPayload: withFirst(low), trimmedAlerts: alerts.length - low };
}
