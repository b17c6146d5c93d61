import { readTickSchedule, type TickSchedule } from "./schedule-ticks.js";

/**
 * The relay's settings, read once from environment variables. Every inbound endpoint is off
 * until its secret (or, for SNS, its allowed topics) is set, so nothing is ever open by accident.
 */
export interface RelayConfig {
  readonly github: GitHubSettings;
  /** Where dispatches go when no route matches; absent when every event must match a route. */
  readonly defaultRoute?: Route;
  readonly routes: readonly Route[];
  readonly alertmanager?: AlertmanagerAuth;
  readonly grafana?: GrafanaAuth;
  readonly azureMonitor?: AzureMonitorAuth;
  readonly googleCloudMonitoring?: GoogleCloudMonitoringAuth;
  /** Bearer token for Datadog webhooks sent to the relay rather than to GitHub directly. */
  readonly datadog?: { readonly bearerToken: string };
  readonly sns?: SnsSettings;
  readonly eventbridge?: { readonly headerName: string; readonly apiKey: string };
  /** Bearer secret for the generic delta/count endpoint. */
  readonly sharedSecret?: string;
  /** The relay server's own schedule ticks (RELAY_SCHEDULE_CRON); absent, the default, when off. */
  readonly schedule?: TickSchedule;
  /** Larger request bodies are answered with 413 before they are read. */
  readonly maxBodyBytes: number;
  readonly server: ServerLimits;
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`. */
  readonly metricsToken?: string;
  readonly host: string;
  readonly port: number;
}

/** What bounds the HTTP server's memory and how long a client may take (see docs/relay.md). */
export interface ServerLimits {
  readonly maxConnections: number;
  /** Body bytes all requests together may hold at once; past it, requests are answered 503. */
  readonly maxInflightBodyBytes: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

export interface SnsSettings {
  readonly topicArns: readonly string[];
  /** Older messages are refused, so a captured message cannot be replayed later. */
  readonly maxMessageAgeMs: number;
}

export interface GitHubSettings {
  readonly apiUrl: string;
  readonly credentials: GitHubCredentials;
  /** All attempts of one dispatch, waits included, finish within this time. */
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  /** First backoff step; it doubles with every attempt unless GitHub says how long to wait. */
  readonly retryBaseMs: number;
}

export type GitHubCredentials =
  | { readonly type: "token"; readonly token: string }
  | { readonly type: "app"; readonly appId: string; readonly privateKey: string; readonly installationId?: number };

export interface AlertmanagerAuth {
  readonly bearerToken?: string;
  readonly basic?: { readonly username: string; readonly password: string };
}

export interface GrafanaAuth {
  readonly bearerToken?: string;
  readonly basic?: { readonly username: string; readonly password: string };
  /** The contact point's HMAC signature: required on every request when set. */
  readonly hmac?: GrafanaHmac;
}

export interface GrafanaHmac {
  readonly secret: string;
  /** Lower-case header names. */
  readonly signatureHeader: string;
  /** When set, Grafana signs `<timestamp>:<body>` and sends the timestamp (Unix seconds) in this header. */
  readonly timestampHeader?: string;
  /** With a timestamp header: how far the timestamp may be from the relay's clock. */
  readonly maxAgeMs: number;
}

export interface AzureMonitorAuth {
  /** `?token=` of plain action-group webhooks, which cannot send headers. */
  readonly queryToken?: string;
  /** The secure webhook: an Entra ID bearer token, checked for signature, issuer, audience and expiry. */
  readonly entraId?: EntraIdSettings;
}

export interface EntraIdSettings {
  readonly tenantId: string;
  /** The `aud` the token must carry: the secure webhook's app registration (Application ID URI or client id). */
  readonly audience: string;
  /** The tenant's signing keys. */
  readonly jwksUrl: string;
  /** The tenant's v1 and v2 token issuers. */
  readonly issuers: readonly string[];
}

export interface GoogleCloudMonitoringAuth {
  /** `?token=` of the token-authentication webhook channel. */
  readonly queryToken?: string;
  /** The basic-authentication webhook channel. */
  readonly basic?: { readonly username: string; readonly password: string };
}

/** Sends matching events to a repository (and names the stack in the payload). */
export interface Route {
  /** Every key must be present in the event's route labels with a matching value (`*` is a wildcard). */
  readonly match: Readonly<Record<string, string>>;
  readonly repository: string;
  readonly eventType: string;
  readonly stack?: string;
}

/** A setting the relay cannot start with. The message names the variable and what to set. */
export class RelayConfigError extends Error {
  override readonly name = "RelayConfigError";
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

export const DEFAULT_EVENT_TYPE = "pulumiscale";
const repositoryPattern = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
// Pulumi's fully qualified stack name: organization/project/stack.
export const stackPattern = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const topicArnPattern = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$/;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * What kind of value was given, never the value: a variable set to the wrong thing may hold a
 * secret (a token pasted into the wrong variable), and start-up errors end up in shared logs.
 */
function shape(value: unknown): string {
  if (typeof value === "string") return `text of ${value.length} character${value.length === 1 ? "" : "s"} (not shown)`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = read(env, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RelayConfigError(name, `expected a whole number from ${min} to ${max}, got ${shape(text)}`);
  }
  return value;
}

const durationUnitMs = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration in the largest whole unit that fits it: 1h, 90m, 45s. */
export function describeDuration(ms: number): string {
  for (const unit of ["d", "h", "m", "s"] as const) {
    if (ms % durationUnitMs[unit] === 0) return `${ms / durationUnitMs[unit]}${unit}`;
  }
  return `${ms}ms`;
}

/** A duration written as a whole number and a unit: 90s, 15m, 1h, 2d. */
function readDuration(env: Env, name: string, fallback: string, minMs: number, maxMs: number): number {
  const text = read(env, name) ?? fallback;
  const match = /^(\d+)(s|m|h|d)$/.exec(text);
  const value = match ? Number(match[1]) * durationUnitMs[match[2] as keyof typeof durationUnitMs] : undefined;
  if (value === undefined || value < minMs || value > maxMs) {
    throw new RelayConfigError(name, `expected a duration such as 15m, 1h or 1d, from ${describeDuration(minMs)} to ${describeDuration(maxMs)}, got ${shape(text)}`);
  }
  return value;
}

function readEventType(value: unknown, variable: string): string {
  if (typeof value !== "string" || value.length < 1 || value.length > 100) {
    throw new RelayConfigError(variable, `expected an event type of 1 to 100 characters (GitHub's limit), got ${shape(value)}`);
  }
  return value;
}

function readRepository(value: unknown, variable: string): string {
  if (typeof value !== "string" || !repositoryPattern.test(value)) {
    throw new RelayConfigError(variable, `expected a repository as owner/name, got ${shape(value)}`);
  }
  return value;
}

function readStack(value: unknown, variable: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !stackPattern.test(value)) {
    throw new RelayConfigError(variable, `expected a stack as organization/project/stack, got ${shape(value)}`);
  }
  return value;
}

function readRoutes(env: Env, eventType: string): Route[] {
  const name = "RELAY_ROUTES";
  const text = read(env, name);
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RelayConfigError(name, "expected a JSON array of routes; the value is not valid JSON");
  }
  if (!Array.isArray(parsed)) {
    throw new RelayConfigError(name, `expected a JSON array of routes, got ${shape(parsed)}`);
  }
  return parsed.map((entry: unknown, index): Route => {
    const at = `${name}[${index}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new RelayConfigError(at, `expected { "match": {...}, "repository": "owner/name" }, got ${shape(entry)}`);
    }
    const route = entry as Record<string, unknown>;
    const match = route["match"];
    if (
      typeof match !== "object" ||
      match === null ||
      Array.isArray(match) ||
      !Object.values(match).every((value) => typeof value === "string")
    ) {
      throw new RelayConfigError(`${at}.match`, `expected an object of label names to text values, got ${shape(match)}`);
    }
    const stack = readStack(route["stack"], `${at}.stack`);
    return {
      match: match as Record<string, string>,
      repository: readRepository(route["repository"], `${at}.repository`),
      eventType: route["eventType"] === undefined ? eventType : readEventType(route["eventType"], `${at}.eventType`),
      ...(stack ? { stack } : {}),
    };
  });
}

function readCredentials(env: Env): GitHubCredentials {
  const token = read(env, "RELAY_GITHUB_TOKEN");
  const appId = read(env, "RELAY_GITHUB_APP_ID");
  if (token && appId) {
    throw new RelayConfigError("RELAY_GITHUB_TOKEN", "set either a token or GitHub App credentials (RELAY_GITHUB_APP_ID), not both");
  }
  if (token) return { type: "token", token };
  if (appId) {
    if (!/^\d+$/.test(appId)) {
      throw new RelayConfigError("RELAY_GITHUB_APP_ID", `expected the numeric App ID, got ${shape(appId)}`);
    }
    // Many secret stores cannot hold newlines: accept a PEM with literal "\n" too.
    const privateKey = read(env, "RELAY_GITHUB_APP_PRIVATE_KEY")?.replace(/\\n/g, "\n");
    if (!privateKey?.includes("PRIVATE KEY-----")) {
      throw new RelayConfigError("RELAY_GITHUB_APP_PRIVATE_KEY", "expected the App's private key in PEM form (-----BEGIN RSA PRIVATE KEY-----...)");
    }
    const installationId = read(env, "RELAY_GITHUB_APP_INSTALLATION_ID");
    if (installationId !== undefined && !/^\d+$/.test(installationId)) {
      throw new RelayConfigError("RELAY_GITHUB_APP_INSTALLATION_ID", `expected a numeric installation ID, got ${shape(installationId)}`);
    }
    return { type: "app", appId, privateKey, ...(installationId ? { installationId: Number(installationId) } : {}) };
  }
  throw new RelayConfigError(
    "RELAY_GITHUB_TOKEN",
    "no GitHub credentials: set RELAY_GITHUB_TOKEN (fine-grained token with Contents: write) or RELAY_GITHUB_APP_ID and RELAY_GITHUB_APP_PRIVATE_KEY",
  );
}

function readAlertmanagerAuth(env: Env): AlertmanagerAuth | undefined {
  const bearerToken = read(env, "RELAY_ALERTMANAGER_TOKEN");
  const basic = readBasic(env, "RELAY_ALERTMANAGER");
  if (!bearerToken && !basic) return undefined;
  return { ...(bearerToken ? { bearerToken } : {}), ...(basic ? { basic } : {}) };
}

/** `<PREFIX>_USERNAME` and `<PREFIX>_PASSWORD`, both or neither. */
function readBasic(env: Env, prefix: string): { username: string; password: string } | undefined {
  const username = read(env, `${prefix}_USERNAME`);
  const password = read(env, `${prefix}_PASSWORD`);
  if ((username === undefined) !== (password === undefined)) {
    throw new RelayConfigError(
      username === undefined ? `${prefix}_USERNAME` : `${prefix}_PASSWORD`,
      `basic auth needs both ${prefix}_USERNAME and ${prefix}_PASSWORD`,
    );
  }
  return username && password ? { username, password } : undefined;
}

function readHeaderName(env: Env, name: string, fallback?: string): string | undefined {
  const text = (read(env, name) ?? fallback)?.toLowerCase();
  if (text !== undefined && !/^[a-z0-9-]+$/.test(text)) throw new RelayConfigError(name, `expected an HTTP header name, got ${shape(text)}`);
  return text;
}

function readGrafanaAuth(env: Env): GrafanaAuth | undefined {
  const bearerToken = read(env, "RELAY_GRAFANA_TOKEN");
  const basic = readBasic(env, "RELAY_GRAFANA");
  const secret = read(env, "RELAY_GRAFANA_HMAC_SECRET");
  // Checked even while HMAC is off, so a typo is found before it matters.
  const signatureHeader = readHeaderName(env, "RELAY_GRAFANA_HMAC_HEADER", "x-grafana-alerting-signature")!;
  const timestampHeader = readHeaderName(env, "RELAY_GRAFANA_HMAC_TIMESTAMP_HEADER");
  const maxAgeMs = readDuration(env, "RELAY_GRAFANA_HMAC_MAX_AGE", "5m", 1000, 86_400_000);
  if (!bearerToken && !basic && !secret) return undefined;
  return {
    ...(bearerToken ? { bearerToken } : {}),
    ...(basic ? { basic } : {}),
    ...(secret ? { hmac: { secret, signatureHeader, ...(timestampHeader ? { timestampHeader } : {}), maxAgeMs } } : {}),
  };
}

const tenantPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readAzureMonitorAuth(env: Env): AzureMonitorAuth | undefined {
  const queryToken = read(env, "RELAY_AZURE_MONITOR_TOKEN");
  const tenantId = read(env, "RELAY_AZURE_MONITOR_TENANT_ID");
  const audience = read(env, "RELAY_AZURE_MONITOR_AUDIENCE");
  if ((tenantId === undefined) !== (audience === undefined)) {
    throw new RelayConfigError(
      tenantId === undefined ? "RELAY_AZURE_MONITOR_TENANT_ID" : "RELAY_AZURE_MONITOR_AUDIENCE",
      "the secure webhook needs both RELAY_AZURE_MONITOR_TENANT_ID and RELAY_AZURE_MONITOR_AUDIENCE",
    );
  }
  if (tenantId !== undefined && !tenantPattern.test(tenantId)) {
    throw new RelayConfigError("RELAY_AZURE_MONITOR_TENANT_ID", `expected the directory (tenant) ID, a GUID, got ${shape(tenantId)}`);
  }
  const jwksUrl = read(env, "RELAY_AZURE_MONITOR_JWKS_URL") ?? (tenantId ? `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys` : undefined);
  if (jwksUrl !== undefined && !/^https?:\/\/\S+$/.test(jwksUrl)) {
    throw new RelayConfigError("RELAY_AZURE_MONITOR_JWKS_URL", `expected an http(s) URL, got ${shape(jwksUrl)}`);
  }
  if (!queryToken && !tenantId) return undefined;
  return {
    ...(queryToken ? { queryToken } : {}),
    ...(tenantId && audience && jwksUrl
      ? {
          entraId: {
            tenantId,
            audience,
            jwksUrl,
            issuers: [`https://sts.windows.net/${tenantId}/`, `https://login.microsoftonline.com/${tenantId}/v2.0`],
          },
        }
      : {}),
  };
}

function readGoogleCloudMonitoringAuth(env: Env): GoogleCloudMonitoringAuth | undefined {
  const queryToken = read(env, "RELAY_GOOGLE_CLOUD_MONITORING_TOKEN");
  const basic = readBasic(env, "RELAY_GOOGLE_CLOUD_MONITORING");
  if (!queryToken && !basic) return undefined;
  return { ...(queryToken ? { queryToken } : {}), ...(basic ? { basic } : {}) };
}

function readTopicArns(env: Env): string[] | undefined {
  const text = read(env, "RELAY_SNS_TOPIC_ARNS");
  if (text === undefined) return undefined;
  const arns = text.split(",").map((arn) => arn.trim()).filter(Boolean);
  for (const arn of arns) {
    if (!topicArnPattern.test(arn)) {
      throw new RelayConfigError("RELAY_SNS_TOPIC_ARNS", `expected comma-separated topic ARNs (arn:aws:sns:region:account:name), got ${shape(arn)}`);
    }
  }
  return arns;
}

function readApiUrl(env: Env): string {
  const text = read(env, "RELAY_GITHUB_API_URL") ?? "https://api.github.com";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RelayConfigError("RELAY_GITHUB_API_URL", `expected a URL such as https://api.github.com, got ${shape(text)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new RelayConfigError("RELAY_GITHUB_API_URL", `expected an http(s) URL, got ${shape(text)}`);
  }
  return text.replace(/\/+$/, "");
}

function readServerLimits(env: Env, maxBodyBytes: number): ServerLimits {
  const maxInflightBodyBytes = readInteger(env, "RELAY_MAX_INFLIGHT_BODY_BYTES", 64 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024);
  if (maxInflightBodyBytes < maxBodyBytes) {
    throw new RelayConfigError("RELAY_MAX_INFLIGHT_BODY_BYTES", "must be at least RELAY_MAX_BODY_BYTES, or no body of the largest size could ever be read");
  }
  const headersTimeoutMs = readInteger(env, "RELAY_HEADERS_TIMEOUT_MS", 10_000, 100, 600_000);
  const requestTimeoutMs = readInteger(env, "RELAY_REQUEST_TIMEOUT_MS", 30_000, 100, 600_000);
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new RelayConfigError("RELAY_REQUEST_TIMEOUT_MS", "must be at least RELAY_HEADERS_TIMEOUT_MS: the whole request includes its headers");
  }
  return {
    maxConnections: readInteger(env, "RELAY_MAX_CONNECTIONS", 4096, 1, 1_000_000),
    maxInflightBodyBytes,
    headersTimeoutMs,
    requestTimeoutMs,
  };
}

export function readRelayConfig(env: Env): RelayConfig {
  const eventType = readEventType(read(env, "RELAY_EVENT_TYPE") ?? DEFAULT_EVENT_TYPE, "RELAY_EVENT_TYPE");
  const repository = read(env, "RELAY_GITHUB_REPOSITORY");
  const stack = readStack(read(env, "RELAY_STACK"), "RELAY_STACK");
  const routes = readRoutes(env, eventType);
  if (!repository && routes.length === 0) {
    throw new RelayConfigError("RELAY_GITHUB_REPOSITORY", "no destination: set the repository to dispatch to (owner/name), or RELAY_ROUTES");
  }
  const alertmanager = readAlertmanagerAuth(env);
  const topicArns = readTopicArns(env);
  const eventbridgeKey = read(env, "RELAY_EVENTBRIDGE_API_KEY");
  const sharedSecret = read(env, "RELAY_SHARED_SECRET");
  const grafana = readGrafanaAuth(env);
  const azureMonitor = readAzureMonitorAuth(env);
  const googleCloudMonitoring = readGoogleCloudMonitoringAuth(env);
  const datadogToken = read(env, "RELAY_DATADOG_TOKEN");
  if (!alertmanager && !topicArns && !eventbridgeKey && !sharedSecret && !grafana && !azureMonitor && !googleCloudMonitoring && !datadogToken) {
    throw new RelayConfigError(
      "RELAY_ALERTMANAGER_TOKEN",
      "no inbound endpoint is enabled: set at least one of RELAY_ALERTMANAGER_TOKEN (or _USERNAME/_PASSWORD), RELAY_SNS_TOPIC_ARNS, RELAY_EVENTBRIDGE_API_KEY, RELAY_SHARED_SECRET, " +
        "RELAY_GRAFANA_TOKEN (or _USERNAME/_PASSWORD, or _HMAC_SECRET), RELAY_AZURE_MONITOR_TOKEN (or _TENANT_ID/_AUDIENCE), RELAY_GOOGLE_CLOUD_MONITORING_TOKEN (or _USERNAME/_PASSWORD), RELAY_DATADOG_TOKEN",
    );
  }
  // Checked even while SNS is off, so a typo is found before it matters.
  const snsMaxAgeMs = readDuration(env, "RELAY_SNS_MAX_AGE", "1h", 60_000, 7 * 86_400_000);
  const headerName = readHeaderName(env, "RELAY_EVENTBRIDGE_API_KEY_HEADER", "x-api-key")!;
  const maxBodyBytes = readInteger(env, "RELAY_MAX_BODY_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024);
  const metricsToken = read(env, "RELAY_METRICS_TOKEN");
  const schedule = readSchedule(env, repository);
  return {
    ...(schedule ? { schedule } : {}),
    github: {
      apiUrl: readApiUrl(env),
      credentials: readCredentials(env),
      timeoutMs: readInteger(env, "RELAY_GITHUB_TIMEOUT_MS", 10_000, 100, 600_000),
      maxAttempts: readInteger(env, "RELAY_GITHUB_MAX_ATTEMPTS", 5, 1, 20),
      retryBaseMs: readInteger(env, "RELAY_GITHUB_RETRY_BASE_MS", 500, 1, 60_000),
    },
    ...(repository
      ? { defaultRoute: { match: {}, repository: readRepository(repository, "RELAY_GITHUB_REPOSITORY"), eventType, ...(stack ? { stack } : {}) } }
      : {}),
    routes,
    ...(alertmanager ? { alertmanager } : {}),
    ...(grafana ? { grafana } : {}),
    ...(azureMonitor ? { azureMonitor } : {}),
    ...(googleCloudMonitoring ? { googleCloudMonitoring } : {}),
    ...(datadogToken ? { datadog: { bearerToken: datadogToken } } : {}),
    ...(topicArns ? { sns: { topicArns, maxMessageAgeMs: snsMaxAgeMs } } : {}),
    ...(eventbridgeKey ? { eventbridge: { headerName, apiKey: eventbridgeKey } } : {}),
    ...(sharedSecret ? { sharedSecret } : {}),
    maxBodyBytes,
    server: readServerLimits(env, maxBodyBytes),
    ...(metricsToken ? { metricsToken } : {}),
    host: read(env, "RELAY_HOST") ?? "0.0.0.0",
    port: readInteger(env, "RELAY_PORT", 8080, 0, 65535),
  };
}

/**
 * RELAY_SCHEDULE_CRON (five fields, read in RELAY_SCHEDULE_TIMEZONE, UTC by default): the relay
 * server dispatches a `source: schedule` tick to RELAY_GITHUB_REPOSITORY at each matching minute.
 * Off unless set.
 */
function readSchedule(env: Env, repository: string | undefined): TickSchedule | undefined {
  const text = read(env, "RELAY_SCHEDULE_CRON");
  const timezone = read(env, "RELAY_SCHEDULE_TIMEZONE") ?? "UTC";
  if (text === undefined) return undefined;
  if (!repository) throw new RelayConfigError("RELAY_SCHEDULE_CRON", "schedule ticks need RELAY_GITHUB_REPOSITORY, the repository to tick");
  const schedule = readTickSchedule(text, timezone);
  if ("problem" in schedule) {
    const name = schedule.problem.startsWith("unknown time zone") ? "RELAY_SCHEDULE_TIMEZONE" : "RELAY_SCHEDULE_CRON";
    throw new RelayConfigError(name, `expected a five-field cron expression and an IANA time zone: ${schedule.problem}`);
  }
  return schedule;
}
