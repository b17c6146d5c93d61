import { quote } from "../errors.js";
import { alertmanagerAdapter } from "./alertmanager.js";
import { azureMonitorAdapter } from "./azure-monitor.js";
import { cloudwatchAdapter } from "./cloudwatch.js";
import { countAdapter } from "./count.js";
import { datadogAdapter } from "./datadog.js";
import { deltaAdapter } from "./delta.js";
import { googleCloudMonitoringAdapter } from "./google-cloud-monitoring.js";
import { grafanaAdapter } from "./grafana.js";
import { PayloadError, type Adapter, type ScalingSignal } from "./signal.js";

/** Every adapter, sorted by source. A test fails when an adapter file is missing here. */
export const adapters: readonly Adapter[] = [
  alertmanagerAdapter,
  azureMonitorAdapter,
  cloudwatchAdapter,
  countAdapter,
  datadogAdapter,
  deltaAdapter,
  googleCloudMonitoringAdapter,
  grafanaAdapter,
];

/** GitHub's own limit on client_payload is 64 KB; nothing larger is read. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

export function findAdapter(source: string): Adapter | undefined {
  return adapters.find((adapter) => adapter.source === source);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads a dispatch payload (`client_payload`) with the adapter its `source` names. A payload
 * without `source` that has exactly one of `delta` or `count` is read by that adapter, so a
 * hand-written `{ "target": "workers", "delta": 2 }` works.
 */
export function parsePayload(payload: unknown, path: string): ScalingSignal[] {
  if (!isRecord(payload)) {
    throw new PayloadError(path, `expected an object, got ${quote(payload)}`);
  }
  const size = Buffer.byteLength(JSON.stringify(payload));
  if (size > MAX_PAYLOAD_BYTES) {
    throw new PayloadError(path, `is ${size} bytes; at most ${MAX_PAYLOAD_BYTES} are accepted`);
  }
  const source = payload["source"] ?? inferSource(payload);
  if (typeof source !== "string") {
    throw new PayloadError(`${path}.source`, `expected one of ${sourceList()}, got ${quote(source)}`);
  }
  const adapter = findAdapter(source);
  if (!adapter) {
    throw new PayloadError(`${path}.source`, `expected one of ${sourceList()}, got ${quote(source)}`);
  }
  return adapter.parse(payload, path);
}

function inferSource(payload: Record<string, unknown>): string | undefined {
  const hasDelta = payload["delta"] !== undefined;
  const hasCount = payload["count"] !== undefined;
  if (hasDelta === hasCount) return undefined;
  return hasDelta ? "delta" : "count";
}

function sourceList(): string {
  return adapters.map((adapter) => JSON.stringify(adapter.source)).join(", ");
}
