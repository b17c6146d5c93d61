import type { ScalingSignal } from "../adapters/signal.js";
import { readInstant } from "./instant.js";
import { earliest, type Instants } from "./stages.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * What the event says about its own path: when the earliest of its conditions began (from the
 * signals) and, for a dispatch that came through the relay, `client_payload.relay.received` and
 * `.dispatched`. Pure; anything missing or unreadable is left out.
 */
export function eventInstants(payload: Record<string, unknown>, signals: readonly ScalingSignal[]): Instants {
  const clientPayload = payload["client_payload"];
  const relay = isRecord(clientPayload) && isRecord(clientPayload["relay"]) ? clientPayload["relay"] : {};
  const alertBegan = earliest(signals.map((signal) => signal.began));
  const relayReceived = readInstant(relay["received"]);
  const relayDispatched = readInstant(relay["dispatched"]);
  return {
    ...(alertBegan ? { alertBegan } : {}),
    ...(relayReceived ? { relayReceived } : {}),
    ...(relayDispatched ? { relayDispatched } : {}),
  };
}
