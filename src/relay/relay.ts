import { randomUUID } from "node:crypto";
import { PayloadError } from "../adapters/signal.js";
import { bearerSecret } from "./auth.js";
import type { RelayConfig } from "./config.js";
import type { Endpoint, RequestHead } from "./endpoints/endpoint.js";
import { endpoints, findEndpoint } from "./endpoints/registry.js";
import { GitHubDispatcher, type DispatchOutcome } from "./github.js";
import { MAX_JSON_DEPTH, tooDeep } from "./json-depth.js";
import { jsonLogger, withFields, type RelayLogger } from "./log.js";
import { RelayMetrics } from "./metrics.js";
import { SCHEDULE_SOURCE } from "../schedule-source.js";
import { chooseRoute, PayloadTooLargeError, prepareDispatch, stampDispatched, type InboundPayload } from "./payload.js";
import { Refusal } from "./refusal.js";
import { SnsVerifier } from "./sns.js";

/** An HTTP request before its body is read, whatever carried it (node:http, a Lambda Function URL, API Gateway). */
export interface RelayRequestHead {
  readonly method: string;
  /** The request target as sent: the path and, if any, `?` and the query string. */
  readonly path: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface RelayRequest extends RelayRequestHead {
  readonly body: Buffer;
}

export interface RelayResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A request whose head was accepted: its body may now be read and handed to `receive`. */
export interface AdmittedRequest {
  readonly endpoint: Endpoint;
  readonly head?: RequestHead;
  readonly requestId: string;
  readonly started: number;
}

/** What the relay made of a request head: an answer already, or leave to read the body. */
export type Admission = { readonly kind: "answered"; readonly response: RelayResponse } | { readonly kind: "admitted"; readonly request: AdmittedRequest };

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

const jsonHeaders = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

function answer(status: number, body: Record<string, unknown>, headers: Readonly<Record<string, string>> = {}): RelayResponse {
  return { status, headers: { ...jsonHeaders, ...headers }, body: JSON.stringify(body) };
}

/** Splits a request target into its path and query. The query is kept apart so it is never shown. */
function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const mark = target.indexOf("?");
  return mark < 0 ? { path: target, query: new URLSearchParams() } : { path: target.slice(0, mark), query: new URLSearchParams(target.slice(mark + 1)) };
}

/**
 * The endpoint name a webhook path selects: its last segment, so a prefix such as an API Gateway
 * stage (`/prod/alertmanager`) works. Empty, `.` and `..` segments select nothing.
 */
function endpointName(path: string): string | undefined {
  const segments = path.split("/");
  if (segments[0] !== "" || segments.length < 2) return undefined;
  const named = segments.slice(1);
  if (named.some((segment) => segment === "" || segment === "." || segment === "..")) return undefined;
  return named.at(-1);
}

/**
 * The relay's shared request path: finds the endpoint, checks credentials from the request head,
 * reads the body with the endpoint's adapter, and answers 2xx only once GitHub accepted the
 * dispatch. 4xx means "do not send this again", 5xx "try later".
 */
export class Relay {
  readonly metrics = new RelayMetrics();
  private readonly logger: RelayLogger;
  private readonly github: GitHubDispatcher;
  private readonly sns: SnsVerifier | undefined;
  private readonly now: () => Date;

  constructor(
    private readonly config: RelayConfig,
    deps: RelayDependencies = {},
  ) {
    this.logger = deps.logger ?? jsonLogger();
    this.now = deps.now ?? (() => new Date());
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
  enabledEndpoints(): string[] {
    return endpoints.filter((endpoint) => endpoint.authentication(this.config) !== undefined).map((endpoint) => endpoint.name);
  }

  /** Handles a request whose body is already read (Lambda, tests). */
  async handle(request: RelayRequest): Promise<RelayResponse> {
    const admission = this.admit(request);
    if (admission.kind === "answered") return admission.response;
    if (request.body.length > this.config.maxBodyBytes) return this.refuseTooLarge(admission.request);
    return this.receive(admission.request, request.body);
  }

  /**
   * Decides from the request head alone: health and metrics are answered, unknown paths, wrong
   * methods and wrong credentials are refused; anything else may send its body.
   */
  admit(head: RelayRequestHead): Admission {
    const { path, query } = splitTarget(head.path);
    // Exact paths only, so a proxy that blocks /metrics cannot be bypassed with /x/metrics or //metrics.
    if (path === "/healthz") return { kind: "answered", response: answer(200, { status: "ok" }) };
    if (path === "/metrics") return { kind: "answered", response: this.renderMetrics(head) };
    const name = endpointName(path);
    const endpoint = name === undefined ? undefined : findEndpoint(name);
    const authentication = endpoint?.authentication(this.config);
    // The path is not echoed: it may hold a secret a sender put there by mistake.
    if (!endpoint || !authentication) return { kind: "answered", response: answer(404, { error: "not_found", message: "no endpoint at this path" }) };

    const requestHead: RequestHead = { method: head.method, path, query, headers: head.headers };
    const request: AdmittedRequest = { endpoint, head: requestHead, requestId: randomUUID(), started: performance.now() };
    this.metrics.received.inc({ endpoint: endpoint.name });
    if (head.method !== "POST") {
      return { kind: "answered", response: this.refuse(request, new Refusal(405, "method_not_allowed", "use POST", { allow: "POST" })) };
    }
    if (authentication.kind === "secret" && !authentication.check(requestHead)) {
      const challenge: Record<string, string> = authentication.challenge ? { "www-authenticate": authentication.challenge } : {};
      return { kind: "answered", response: this.refuse(request, new Refusal(401, "unauthorized", "missing or wrong credentials", challenge)) };
    }
    if (authentication.kind === "signed-body" && !authentication.plausible(requestHead)) {
      return { kind: "answered", response: this.refuse(request, authentication.implausible) };
    }
    return { kind: "admitted", request };
  }

  private renderMetrics(head: RelayRequestHead): RelayResponse {
    const token = this.config.metricsToken;
    if (token !== undefined && !bearerSecret(token)({ method: head.method, path: "/metrics", query: new URLSearchParams(), headers: head.headers })) {
      return answer(401, { error: "unauthorized", message: "GET /metrics needs Authorization: Bearer <RELAY_METRICS_TOKEN>" }, { "www-authenticate": 'Bearer realm="pulumiscale-relay-metrics"' });
    }
    return { status: 200, headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" }, body: this.metrics.render() };
  }

  /** Reads an admitted request's body and forwards it. */
  async receive(request: AdmittedRequest, body: Buffer): Promise<RelayResponse> {
    try {
      return await this.process(request, this.parseJson(body), body);
    } catch (error) {
      return this.refuse(request, error);
    }
  }

  /** Answers an admitted request whose body is over RELAY_MAX_BODY_BYTES, without reading the rest. */
  refuseTooLarge(request: AdmittedRequest): RelayResponse {
    return this.refuse(request, new Refusal(413, "too_large", `the body is larger than ${this.config.maxBodyBytes} bytes (RELAY_MAX_BODY_BYTES)`));
  }

  /** Answers an admitted request when the relay already holds RELAY_MAX_INFLIGHT_BODY_BYTES of bodies. */
  refuseBusy(request: AdmittedRequest): RelayResponse {
    return this.refuse(request, new Refusal(503, "busy", "the relay is holding as many request bodies as it may (RELAY_MAX_INFLIGHT_BODY_BYTES); try again"));
  }

  /** The client went away before it got its answer: counted, not logged, since anyone can do it. */
  clientGone(request: AdmittedRequest): void {
    void request; // which endpoint does not matter: the client left
    this.metrics.clientErrors.inc({ reason: "aborted" });
  }

  /** A bug outside the request path (the HTTP server's last guard): logged with its stack. */
  reportInternalError(error: unknown): void {
    this.metrics.rejected.inc({ endpoint: "none", reason: "internal_error" });
    this.logger.error("internal error", { outcome: "failed", error: error instanceof Error ? error.stack : String(error) });
  }

  /**
   * Handles one SNS message delivered by a Lambda SNS subscription. Resolves with the HTTP status
   * the message would have received over HTTP, so the Lambda handler can decide whether to fail.
   */
  async handleSnsRecord(record: unknown): Promise<RelayResponse> {
    const endpoint = findEndpoint("sns");
    if (!endpoint?.authentication(this.config)) {
      return answer(404, { error: "not_found", message: "SNS is not enabled: set RELAY_SNS_TOPIC_ARNS" });
    }
    const request: AdmittedRequest = { endpoint, requestId: randomUUID(), started: performance.now() };
    this.metrics.received.inc({ endpoint: endpoint.name });
    try {
      return await this.process(request, record);
    } catch (error) {
      return this.refuse(request, error);
    }
  }

  private async process(request: AdmittedRequest, body: unknown, rawBody?: Buffer): Promise<RelayResponse> {
    const deep = tooDeep(body, MAX_JSON_DEPTH);
    if (deep !== undefined) {
      throw new Refusal(422, "invalid_payload", `${deep.slice(0, 200)} nests more than ${MAX_JSON_DEPTH} levels deep; at most ${MAX_JSON_DEPTH} are accepted`);
    }
    const logger = withFields(this.logger, { requestId: request.requestId, endpoint: request.endpoint.name });
    const context = { config: this.config, sns: this.sns, logger, now: this.now, ...(request.head ? { head: request.head } : {}), ...(rawBody ? { rawBody } : {}) };
    const received = await this.readBody(() => request.endpoint.receive(body, context));
    const result = received.kind === "forward" ? { ...(await this.forward(request, received.inbound)), ...received.extra } : received.result;
    logger.info("forwarded", { outcome: received.kind === "forward" ? "forwarded" : "answered", ...result, ms: this.elapsed(request) });
    return answer(200, { status: "ok", requestId: request.requestId, ...result });
  }

  private refuse(request: AdmittedRequest, error: unknown): RelayResponse {
    const fields = { requestId: request.requestId, endpoint: request.endpoint.name };
    if (!(error instanceof Refusal)) {
      // A bug, not bad input: the sender may retry, and the stack trace is needed to fix it.
      this.metrics.rejected.inc({ endpoint: request.endpoint.name, reason: "internal_error" });
      this.logger.error("internal error", { ...fields, outcome: "failed", error: error instanceof Error ? error.stack : String(error) });
      return answer(500, { error: "internal_error", message: "the relay failed; see its log", requestId: request.requestId });
    }
    this.metrics.rejected.inc({ endpoint: request.endpoint.name, reason: error.reason });
    const log = error.status >= 500 ? this.logger.error : this.logger.warn;
    log("not forwarded", { ...fields, outcome: "refused", status: error.status, reason: error.reason, detail: error.message, ms: this.elapsed(request) });
    return answer(error.status, { error: error.reason, message: error.message, requestId: request.requestId }, error.headers);
  }

  private elapsed(request: AdmittedRequest): number {
    return Math.round(performance.now() - request.started);
  }

  private parseJson(body: Buffer): unknown {
    try {
      return JSON.parse(body.toString("utf8"));
    } catch {
      throw new Refusal(400, "bad_json", "the body is not valid JSON");
    }
  }

  /** Runs an endpoint's reader; a body the action could not read is a 422. */
  private async readBody<T>(read: () => T | Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof PayloadError) throw new Refusal(422, "invalid_payload", error.message);
      throw error;
    }
  }

  /**
   * Sends one schedule tick for `minute` to the default route (RELAY_SCHEDULE_CRON): a dispatch
   * with `source: schedule`, which the action runs as a `schedule` event. Resolves with how
   * GitHub answered; a tick GitHub refused is logged, and the next one tries again.
   */
  async tick(minute: Date): Promise<DispatchOutcome> {
    const route = this.config.defaultRoute;
    if (!route) throw new Error("schedule ticks need RELAY_GITHUB_REPOSITORY");
    const received = this.now();
    const clientPayload: Record<string, unknown> = {
      source: SCHEDULE_SOURCE,
      ...(route.stack ? { stack: route.stack } : {}),
      id: `relay-tick-${minute.toISOString()}`,
      relay: { received: received.toISOString(), dispatched: received.toISOString() },
    };
    const outcome = await this.github.dispatch({
      repository: route.repository,
      eventType: route.eventType,
      clientPayload,
      payloadAt: (sentAt) => stampDispatched(clientPayload, sentAt),
    });
    if (outcome.kind === "accepted") {
      this.metrics.forwarded.inc({ endpoint: "schedule" });
      this.logger.info("schedule tick", { minute: minute.toISOString(), repository: route.repository, attempts: outcome.attempts });
    } else {
      this.metrics.rejected.inc({ endpoint: "schedule", reason: `github_${outcome.kind}` });
      this.logger.error("schedule tick not dispatched", { minute: minute.toISOString(), outcome: outcome.kind, detail: outcome.message });
    }
    return outcome;
  }

  private async forward(request: AdmittedRequest, inbound: InboundPayload): Promise<Record<string, unknown>> {
    const route = chooseRoute(this.config, inbound.routeLabels);
    if (!route) {
      throw new Refusal(422, "no_route", `no route in RELAY_ROUTES matches ${JSON.stringify(inbound.routeLabels).slice(0, 300)}`);
    }
    let prepared;
    try {
      prepared = prepareDispatch(inbound, route, this.now());
    } catch (error) {
      if (error instanceof PayloadTooLargeError) throw new Refusal(413, "too_large", error.message);
      if (error instanceof PayloadError) throw new Refusal(422, "invalid_payload", error.message);
      throw error;
    }
    const clientPayload = prepared.clientPayload;
    const outcome = await this.github.dispatch({
      repository: route.repository,
      eventType: route.eventType,
      clientPayload,
      payloadAt: (sentAt) => stampDispatched(clientPayload, sentAt),
    });
    this.checkOutcome(outcome, route.repository);
    this.metrics.forwarded.inc({ endpoint: request.endpoint.name });
    if (outcome.kind === "accepted" && prepared.began !== undefined) {
      const seconds = (outcome.sentAt.getTime() - Date.parse(prepared.began)) / 1000;
      if (seconds >= 0) this.metrics.alertToDispatch.observe({ endpoint: request.endpoint.name }, seconds);
    }
    return {
      repository: route.repository,
      eventType: route.eventType,
      attempts: outcome.kind === "accepted" ? outcome.attempts : 0,
      ...(prepared.trimmedAlerts ? { trimmedAlerts: prepared.trimmedAlerts } : {}),
      ...(prepared.dropped.length > 0 ? { dropped: prepared.dropped } : {}),
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
