import { PayloadError } from "../adapters/signal.js";
import { alertmanagerAuthorized, bearerToken, secretsEqual } from "./auth.js";
import type { RelayConfig } from "./config.js";
import { GitHubDispatcher, type DispatchOutcome } from "./github.js";
import { jsonLogger, type RelayLogger } from "./log.js";
import { RelayMetrics } from "./metrics.js";
import {
  chooseRoute,
  fromAlertmanager,
  fromEventBridge,
  fromGenericRequest,
  fromSnsNotification,
  PayloadTooLargeError,
  prepareDispatch,
  type InboundPayload,
} from "./payload.js";
import { readSnsEnvelope, SnsRejection, SnsVerifier, type SnsEnvelope, type SnsRejectionReason } from "./sns.js";

/** An HTTP request, whatever carried it (node:http, a Lambda Function URL, API Gateway). */
export interface RelayRequest {
  readonly method: string;
  readonly path: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

export interface RelayResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface RelayDependencies {
  readonly logger?: RelayLogger;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** The current time, for the SNS Timestamp and certificate checks. Tests set it. */
  readonly now?: () => Date;
  /** Tests only: which host may serve SNS certificates and subscription URLs, and its CA. */
  readonly sns?: { readonly isAllowedHost?: (host: string) => boolean; readonly trustedCa?: string };
}

/** Webhook endpoints, named by the last segment of the request path. */
export type Endpoint = "alertmanager" | "sns" | "eventbridge" | "dispatch";
const endpoints: readonly string[] = ["alertmanager", "sns", "eventbridge", "dispatch"];

/** The last segment of the path names the endpoint, so prefixes such as an API Gateway stage work. */
function endpointName(path: string): string {
  return path.split("?")[0]?.split("/").filter(Boolean).at(-1) ?? "";
}

/** Why a request was not forwarded; the metrics label and the `error` field of the answer. */
type Reason =
  | "not_found"
  | "method_not_allowed"
  | "unauthorized"
  | "too_large"
  | "bad_json"
  | "invalid_payload"
  | "no_route"
  | SnsRejectionReason
  | "sns_confirmation_failed"
  | "github_rejected"
  | "github_misconfigured"
  | "github_unavailable";

/** A request the relay will not forward; `status` tells the sender whether to try again. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: Reason,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const jsonHeaders = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

function answer(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): RelayResponse {
  return { status, headers: { ...jsonHeaders, ...headers }, body: JSON.stringify(body) };
}

/**
 * The relay core: authenticates a webhook, validates it with the action's adapters, and answers
 * 2xx only once GitHub accepted the dispatch. 4xx means "do not send this again", 5xx "try later".
 */
export class Relay {
  readonly metrics = new RelayMetrics();
  private readonly logger: RelayLogger;
  private readonly github: GitHubDispatcher;
  private readonly sns: SnsVerifier | undefined;

  constructor(
    private readonly config: RelayConfig,
    deps: RelayDependencies = {},
  ) {
    this.logger = deps.logger ?? jsonLogger();
    this.github = new GitHubDispatcher(config.github, {
      metrics: this.metrics,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.random ? { random: deps.random } : {}),
    });
    this.sns = config.sns
      ? new SnsVerifier({
          topicArns: config.sns.topicArns,
          maxMessageAgeMs: config.sns.maxMessageAgeMs,
          ...(deps.now ? { now: deps.now } : {}),
          ...deps.sns,
        })
      : undefined;
  }

  /** Which webhook endpoints are on, for the start-up log line. */
  enabledEndpoints(): Endpoint[] {
    return [
      ...(this.config.alertmanager ? (["alertmanager"] as const) : []),
      ...(this.config.sns ? (["sns"] as const) : []),
      ...(this.config.eventbridge ? (["eventbridge"] as const) : []),
      ...(this.config.sharedSecret ? (["dispatch"] as const) : []),
    ];
  }

  async handle(request: RelayRequest): Promise<RelayResponse> {
    const name = endpointName(request.path);
    if (name === "healthz") return answer(200, { status: "ok" });
    if (name === "metrics") {
      return { status: 200, headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" }, body: this.metrics.render() };
    }
    const endpoint = endpoints.includes(name) && this.enabledEndpoints().includes(name as Endpoint) ? (name as Endpoint) : undefined;
    if (!endpoint) return answer(404, { error: "not_found", message: `no endpoint at ${JSON.stringify(request.path.slice(0, 100))}` });

    this.metrics.received.inc({ endpoint });
    const started = performance.now();
    try {
      if (request.method !== "POST") {
        throw new Refusal(405, "method_not_allowed", "use POST", { allow: "POST" });
      }
      const result = await this.receive(endpoint, request);
      this.logger.info("forwarded", { endpoint, ...result, ms: Math.round(performance.now() - started) });
      return answer(200, { status: "ok", ...result });
    } catch (error) {
      return this.refuse(endpoint, error, started);
    }
  }

  /**
   * Answers a request whose body is over RELAY_MAX_BODY_BYTES without reading it (the HTTP server
   * sees the size first). Counted like any other refusal.
   */
  refuseTooLarge(path: string): RelayResponse {
    const name = endpointName(path);
    const endpoint = endpoints.includes(name) ? (name as Endpoint) : undefined;
    const message = `the body is larger than ${this.config.maxBodyBytes} bytes (RELAY_MAX_BODY_BYTES)`;
    if (!endpoint) return answer(413, { error: "too_large", message });
    this.metrics.received.inc({ endpoint });
    return this.refuse(endpoint, new Refusal(413, "too_large", message), performance.now());
  }

  /**
   * Handles one SNS message delivered by a Lambda SNS subscription. Resolves with the HTTP status
   * the message would have received over HTTP, so the Lambda handler can decide whether to fail.
   */
  async handleSnsRecord(record: unknown): Promise<RelayResponse> {
    const endpoint: Endpoint = "sns";
    if (!this.sns) return answer(404, { error: "not_found", message: "SNS is not enabled: set RELAY_SNS_TOPIC_ARNS" });
    this.metrics.received.inc({ endpoint });
    const started = performance.now();
    try {
      const result = await this.receiveSns(record);
      this.logger.info("forwarded", { endpoint, ...result, ms: Math.round(performance.now() - started) });
      return answer(200, { status: "ok", ...result });
    } catch (error) {
      return this.refuse(endpoint, error, started);
    }
  }

  private refuse(endpoint: Endpoint, error: unknown, started: number): RelayResponse {
    if (!(error instanceof Refusal)) {
      // A bug, not bad input: the sender may retry, and the stack trace is needed to fix it.
      this.metrics.rejected.inc({ endpoint, reason: "internal_error" });
      this.logger.error("internal error", { endpoint, error: error instanceof Error ? error.stack : String(error) });
      return answer(500, { error: "internal_error", message: "the relay failed; see its log" });
    }
    this.metrics.rejected.inc({ endpoint, reason: error.reason });
    const log = error.status >= 500 ? this.logger.error : this.logger.warn;
    log("not forwarded", { endpoint, status: error.status, reason: error.reason, detail: error.message, ms: Math.round(performance.now() - started) });
    return answer(error.status, { error: error.reason, message: error.message }, error.headers);
  }

  private async receive(endpoint: Endpoint, request: RelayRequest): Promise<Record<string, unknown>> {
    if (endpoint === "sns") {
      // SNS cannot send a secret header; its signature is checked instead (in receiveSns).
      this.checkSize(request.body);
      return this.receiveSns(this.parseJson(request.body));
    }
    this.authenticate(endpoint, request.headers);
    this.checkSize(request.body);
    const body = this.parseJson(request.body);
    const inbound = this.readInbound(() =>
      endpoint === "alertmanager" ? fromAlertmanager(body) : endpoint === "eventbridge" ? fromEventBridge(body) : fromGenericRequest(body),
    );
    return this.forward(endpoint, inbound);
  }

  private authenticate(endpoint: Endpoint, headers: RelayRequest["headers"]): void {
    const config = this.config;
    const authorization = headers["authorization"];
    const authorized =
      endpoint === "alertmanager"
        ? config.alertmanager !== undefined && alertmanagerAuthorized(config.alertmanager, authorization)
        : endpoint === "eventbridge"
          ? config.eventbridge !== undefined && secretsEqual(headers[config.eventbridge.headerName] ?? "", config.eventbridge.apiKey)
          : config.sharedSecret !== undefined && secretsEqual(bearerToken(authorization) ?? "", config.sharedSecret);
    if (!authorized) {
      const challenge: Record<string, string> =
        endpoint === "eventbridge" ? {} : { "www-authenticate": 'Bearer realm="pulumiscale-relay"' };
      throw new Refusal(401, "unauthorized", "missing or wrong credentials", challenge);
    }
  }

  private checkSize(body: Buffer): void {
    if (body.length > this.config.maxBodyBytes) {
      throw new Refusal(413, "too_large", `the body is larger than ${this.config.maxBodyBytes} bytes (RELAY_MAX_BODY_BYTES)`);
    }
  }

  private parseJson(body: Buffer): unknown {
    try {
      return JSON.parse(body.toString("utf8"));
    } catch {
      throw new Refusal(400, "bad_json", "the body is not valid JSON");
    }
  }

  private readInbound(read: () => InboundPayload): InboundPayload {
    try {
      return read();
    } catch (error) {
      if (error instanceof PayloadError) throw new Refusal(422, "invalid_payload", error.message);
      throw error;
    }
  }

  private async receiveSns(body: unknown): Promise<Record<string, unknown>> {
    const sns = this.sns;
    if (!sns) throw new Refusal(404, "not_found", "SNS is not enabled: set RELAY_SNS_TOPIC_ARNS");
    let envelope: SnsEnvelope;
    try {
      envelope = readSnsEnvelope(body);
      await sns.verify(envelope);
    } catch (error) {
      if (error instanceof SnsRejection) throw new Refusal(error.status, error.reason, error.message);
      throw error;
    }
    if (envelope.Type === "SubscriptionConfirmation") {
      try {
        await sns.confirmSubscription(envelope);
      } catch (error) {
        if (error instanceof SnsRejection) throw new Refusal(error.status, error.reason, error.message);
        throw new Refusal(502, "sns_confirmation_failed", `confirming the subscription failed: ${(error as Error).message}`);
      }
      this.logger.info("subscription confirmed", { topicArn: envelope.TopicArn });
      return { confirmed: envelope.TopicArn };
    }
    if (envelope.Type === "UnsubscribeConfirmation") {
      // Nothing to forward. The subscription is not restored: whoever unsubscribed meant it.
      this.logger.warn("unsubscribed", { topicArn: envelope.TopicArn });
      return { unsubscribed: envelope.TopicArn };
    }
    return this.forward("sns", fromSnsNotification(envelope as unknown as Record<string, unknown>), { messageId: envelope.MessageId });
  }

  private async forward(endpoint: Endpoint, inbound: InboundPayload, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const route = chooseRoute(this.config, inbound.routeLabels);
    if (!route) {
      throw new Refusal(422, "no_route", `no route in RELAY_ROUTES matches ${JSON.stringify(inbound.routeLabels).slice(0, 300)}`);
    }
    let prepared;
    try {
      prepared = prepareDispatch(inbound, route);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) throw new Refusal(413, "too_large", error.message);
      if (error instanceof PayloadError) throw new Refusal(422, "invalid_payload", error.message);
      throw error;
    }
    const outcome = await this.github.dispatch({ repository: route.repository, eventType: route.eventType, clientPayload: prepared.clientPayload });
    this.checkOutcome(outcome, route.repository);
    this.metrics.forwarded.inc({ endpoint });
    return {
      repository: route.repository,
      eventType: route.eventType,
      attempts: outcome.kind === "accepted" ? outcome.attempts : 0,
      ...(prepared.trimmedAlerts ? { trimmedAlerts: prepared.trimmedAlerts } : {}),
      ...extra,
    };
  }

  private checkOutcome(outcome: DispatchOutcome, repository: string): void {
    switch (outcome.kind) {
      case "accepted":
        return;
      case "rejected":
        throw new Refusal(422, "github_rejected", outcome.message);
      case "misconfigured":
        // Sent as 502 so the sender keeps the alert and retries while the operator fixes the relay.
        throw new Refusal(
          502,
          "github_misconfigured",
          `${outcome.message}; check that the relay's token or GitHub App can create dispatches on ${repository} (Contents: write)`,
        );
      case "unavailable":
        throw new Refusal(
          503,
          "github_unavailable",
          `${outcome.message} (after ${outcome.attempts} attempt${outcome.attempts === 1 ? "" : "s"})`,
          outcome.retryAfterSeconds ? { "retry-after": String(outcome.retryAfterSeconds) } : {},
        );
    }
  }
}
