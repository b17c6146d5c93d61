import * as pulumi from "@pulumi/pulumi";

/** CloudWatch alarm states an EventBridge rule can forward. */
export type AlarmState = "ALARM" | "OK" | "INSUFFICIENT_DATA";

/** The EventBridge part: a rule for "CloudWatch Alarm State Change" events, sent to the relay's `/eventbridge`. */
export interface RelayEventBridgeArgs {
  /** Alarms whose state changes are forwarded; all alarms of the account and region when left out. */
  alarmNames?: string[];
  /** States whose changes are forwarded. Default `["ALARM", "OK"]`; add `INSUFFICIENT_DATA` for `noData` rules. */
  states?: AlarmState[];
  /** The API key EventBridge sends in `x-api-key`; generated with @pulumi/random when left out. */
  apiKey?: pulumi.Input<string>;
  /** Default 1: a scaling workflow needs no more than one dispatch a second. */
  invocationRateLimitPerSecond?: number;
}

export interface PulumiScaleRelayArgs {
  /** A GitHub token that can create dispatches (`RELAY_GITHUB_TOKEN`). Exactly one of this or `githubApp`. */
  githubToken?: pulumi.Input<string>;
  /** A GitHub App instead of a token (`RELAY_GITHUB_APP_ID`, `_PRIVATE_KEY`, `_INSTALLATION_ID`). */
  githubApp?: { appId: pulumi.Input<string>; privateKey: pulumi.Input<string>; installationId?: pulumi.Input<string> };
  /** `owner/name` to dispatch to when no route matches (`RELAY_GITHUB_REPOSITORY`). */
  repository?: pulumi.Input<string>;
  /** `org/project/stack` put in the payload for the default repository (`RELAY_STACK`). */
  stack?: pulumi.Input<string>;
  /** The routing table (`RELAY_ROUTES`, see docs/relay.md "Routing"), written as JSON by the component. */
  routes?: pulumi.Input<unknown[]>;
  /** The dispatch `event_type` (`RELAY_EVENT_TYPE`), default `pulumiscale`. */
  eventType?: pulumi.Input<string>;
  /** Inbound secrets by variable name, e.g. `{ RELAY_ALERTMANAGER_TOKEN: token }`. Stored as Pulumi secrets. */
  inboundSecrets?: Record<string, pulumi.Input<string>>;
  /** Other `RELAY_*` settings that are not secret, e.g. `{ RELAY_SNS_TOPIC_ARNS: topic.arn }`. */
  settings?: Record<string, pulumi.Input<string>>;
  /** The token `GET /metrics` needs (`RELAY_METRICS_TOKEN`); generated with @pulumi/random when left out. */
  metricsToken?: pulumi.Input<string>;
  /** Forward CloudWatch alarm state changes through EventBridge to the relay. */
  eventBridge?: RelayEventBridgeArgs;
  /** The Lambda bundle; default `dist/relay/lambda.mjs` of the repository this component sits in. */
  lambdaBundle?: string;
  /** Lambda runtime, default `nodejs24.x`. */
  runtime?: string;
  /** Function timeout in seconds, default 20: above the relay's GitHub deadline (10 s) plus the 5 s it waits for a late answer. */
  timeout?: number;
  /** Memory in MB, default 256. */
  memorySize?: number;
  /** A customer-managed KMS key for the environment variables; AWS's own key for Lambda otherwise. */
  kmsKeyArn?: pulumi.Input<string>;
  /** Days the relay's log lines are kept, default 30. */
  logRetentionInDays?: number;
}

/** Inbound secrets the relay reads (docs/relay.md, "Configuration"). */
export const INBOUND_SECRET_VARIABLES = [
  "RELAY_ALERTMANAGER_TOKEN",
  "RELAY_ALERTMANAGER_USERNAME",
  "RELAY_ALERTMANAGER_PASSWORD",
  "RELAY_AZURE_MONITOR_TOKEN",
  "RELAY_DATADOG_TOKEN",
  "RELAY_EVENTBRIDGE_API_KEY",
  "RELAY_GOOGLE_CLOUD_MONITORING_TOKEN",
  "RELAY_GOOGLE_CLOUD_MONITORING_USERNAME",
  "RELAY_GOOGLE_CLOUD_MONITORING_PASSWORD",
  "RELAY_GRAFANA_TOKEN",
  "RELAY_GRAFANA_USERNAME",
  "RELAY_GRAFANA_PASSWORD",
  "RELAY_GRAFANA_HMAC_SECRET",
  "RELAY_SHARED_SECRET",
] as const;

/** Variables the component writes from its own arguments, so `settings` may not set them. */
export const OWN_VARIABLES = [
  "RELAY_GITHUB_TOKEN",
  "RELAY_GITHUB_APP_ID",
  "RELAY_GITHUB_APP_PRIVATE_KEY",
  "RELAY_GITHUB_APP_INSTALLATION_ID",
  "RELAY_GITHUB_REPOSITORY",
  "RELAY_STACK",
  "RELAY_ROUTES",
  "RELAY_EVENT_TYPE",
  "RELAY_METRICS_TOKEN",
  "RELAY_EVENTBRIDGE_API_KEY_HEADER",
];

/** Settings that enable an inbound endpoint without a secret. */
const ENABLING_SETTINGS = ["RELAY_SNS_TOPIC_ARNS", "RELAY_AZURE_MONITOR_TENANT_ID"];

const MAX_LAMBDA_TIMEOUT_S = 900;
/** The relay waits this long past its GitHub deadline for a late 204 (src/relay/github.ts, LATE_ANSWER_GRACE_MS). */
const LATE_ANSWER_GRACE_S = 5;
const ALARM_STATES: readonly AlarmState[] = ["ALARM", "OK", "INSUFFICIENT_DATA"];
/** EventBridge allows 1 to 300 invocations a second per API destination. */
const MAX_INVOCATION_RATE = 300;

export class RelayArgsError extends Error {
  constructor(field: string, message: string) {
    super(`PulumiScaleRelay args.${field}: ${message}`);
    this.name = "RelayArgsError";
  }
}

/**
 * Checks what can be checked before deployment, so a mistake fails `pulumi preview` with the field
 * named instead of a relay that refuses to start in Lambda. Values that are Outputs are checked by
 * the relay itself at start-up.
 */
export function checkArgs(args: PulumiScaleRelayArgs): void {
  checkGitHubAndInbound(args);
  checkFunction(args);
  if (args.eventBridge) checkEventBridge(args.eventBridge);
}

function checkGitHubAndInbound(args: PulumiScaleRelayArgs): void {
  if ((args.githubToken === undefined) === (args.githubApp === undefined)) {
    throw new RelayArgsError("githubToken", "set exactly one of githubToken or githubApp");
  }
  if (args.repository === undefined && args.routes === undefined) {
    throw new RelayArgsError("repository", "set the repository to dispatch to (owner/name), or routes");
  }
  const secrets = Object.keys(args.inboundSecrets ?? {});
  for (const name of secrets) {
    if (!(INBOUND_SECRET_VARIABLES as readonly string[]).includes(name)) {
      throw new RelayArgsError(`inboundSecrets.${name}`, `expected one of ${INBOUND_SECRET_VARIABLES.join(", ")}, got ${JSON.stringify(name)}`);
    }
  }
  if (args.eventBridge && secrets.includes("RELAY_EVENTBRIDGE_API_KEY")) {
    throw new RelayArgsError("inboundSecrets.RELAY_EVENTBRIDGE_API_KEY", "set by the EventBridge part: give it as eventBridge.apiKey instead");
  }
  const settings = Object.keys(args.settings ?? {});
  for (const name of settings) {
    if (!/^RELAY_[A-Z0-9_]+$/.test(name)) {
      throw new RelayArgsError(`settings.${name}`, `expected a RELAY_* variable name (docs/relay.md, "Configuration"), got ${JSON.stringify(name)}`);
    }
    if ((INBOUND_SECRET_VARIABLES as readonly string[]).includes(name)) {
      throw new RelayArgsError(`settings.${name}`, "is a secret: give it in inboundSecrets, which keeps it encrypted");
    }
    if (OWN_VARIABLES.includes(name)) {
      throw new RelayArgsError(`settings.${name}`, "is set from the component's own arguments (githubToken, githubApp, repository, stack, routes, eventType, metricsToken, eventBridge)");
    }
  }
  if (secrets.length === 0 && !args.eventBridge && !settings.some((name) => ENABLING_SETTINGS.includes(name))) {
    throw new RelayArgsError("inboundSecrets", "no inbound endpoint is enabled: give at least one secret (e.g. RELAY_ALERTMANAGER_TOKEN), RELAY_SNS_TOPIC_ARNS in settings, or eventBridge");
  }
}

/** The relay's longest wait for GitHub, in seconds, when known before deployment. */
export function longestGitHubWaitSeconds(args: PulumiScaleRelayArgs): number {
  return githubDeadlineSeconds(args.settings?.["RELAY_GITHUB_TIMEOUT_MS"]) + LATE_ANSWER_GRACE_S;
}

function checkFunction(args: PulumiScaleRelayArgs): void {
  // A function stopped while the relay still waits for GitHub loses the answer: the sender retries a
  // dispatch GitHub may already have created.
  const longestWaitS = longestGitHubWaitSeconds(args);
  if (args.timeout !== undefined && (!Number.isInteger(args.timeout) || args.timeout <= longestWaitS || args.timeout > MAX_LAMBDA_TIMEOUT_S)) {
    throw new RelayArgsError(
      "timeout",
      `expected whole seconds above the relay's longest wait for GitHub (${longestWaitS} s: RELAY_GITHUB_TIMEOUT_MS plus ${LATE_ANSWER_GRACE_S} s for a late answer) and at most ${MAX_LAMBDA_TIMEOUT_S}, got ${args.timeout}`,
    );
  }
  if (args.memorySize !== undefined && (!Number.isInteger(args.memorySize) || args.memorySize < 128 || args.memorySize > 10240)) {
    throw new RelayArgsError("memorySize", `expected whole MB from 128 to 10240, got ${args.memorySize}`);
  }
}

function checkEventBridge(eventBridge: RelayEventBridgeArgs): void {
  for (const [index, state] of (eventBridge.states ?? []).entries()) {
    if (!ALARM_STATES.includes(state)) {
      throw new RelayArgsError(`eventBridge.states[${index}]`, `expected one of ${ALARM_STATES.join(", ")}, got ${JSON.stringify(state)}`);
    }
  }
  if (eventBridge.states?.length === 0) {
    throw new RelayArgsError("eventBridge.states", "expected at least one state, got []");
  }
  if (eventBridge.alarmNames?.length === 0) {
    throw new RelayArgsError("eventBridge.alarmNames", "expected at least one alarm name, got [] (leave it out to forward every alarm)");
  }
  const rate = eventBridge.invocationRateLimitPerSecond;
  if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > MAX_INVOCATION_RATE)) {
    throw new RelayArgsError("eventBridge.invocationRateLimitPerSecond", `expected a whole number from 1 to ${MAX_INVOCATION_RATE}, got ${rate}`);
  }
}

/** The relay's GitHub deadline in seconds, when known before deployment (default 10 s). */
function githubDeadlineSeconds(setting: pulumi.Input<string> | undefined): number {
  if (setting === undefined) return 10;
  if (typeof setting !== "string") return 10; // an Output: the relay checks it at start-up
  const ms = Number(setting);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new RelayArgsError("settings.RELAY_GITHUB_TIMEOUT_MS", `expected whole milliseconds, got ${JSON.stringify(setting)}`);
  }
  return Math.ceil(ms / 1000);
}
