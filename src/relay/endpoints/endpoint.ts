import type { RelayConfig } from "../config.js";
import type { RelayLogger } from "../log.js";
import type { InboundPayload } from "../payload.js";
import type { Refusal } from "../refusal.js";
import type { SnsVerifier } from "../sns.js";

/**
 * What the relay knows of a request before its body is read: enough to find the endpoint and
 * check credentials, so a stranger's body is never buffered.
 */
export interface RequestHead {
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
  /**
   * The query string's parameters. Some senders can only put a secret there (`?token=`), so it
   * is never logged, counted or echoed in an answer.
   */
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/** True when the request head carries the right credentials (see auth.ts for the checks). */
export type CredentialCheck = (head: RequestHead) => boolean;

export type Authentication =
  /** The request head must carry a secret; it is checked before the body is read. */
  | { readonly kind: "secret"; readonly check: CredentialCheck; readonly challenge?: string }
  /**
   * The body carries a signature, verified once it is read (SNS). `plausible` is a cheap check of
   * the head first (the sender's own headers), so most strangers' bodies are not read either.
   */
  | { readonly kind: "signed-body"; readonly plausible: CredentialCheck; readonly implausible: Refusal };

/** What an endpoint made of a body: a dispatch to send, or an answer that needs none. */
export type Received =
  | { readonly kind: "forward"; readonly inbound: InboundPayload; readonly extra?: Readonly<Record<string, unknown>> }
  | { readonly kind: "answered"; readonly result: Readonly<Record<string, unknown>> };

/** What an endpoint may use while it reads a body. */
export interface EndpointContext {
  readonly config: RelayConfig;
  /** Set when SNS is enabled. */
  readonly sns: SnsVerifier | undefined;
  /** The request head; absent for messages that came without HTTP (SNS records in Lambda). */
  readonly head?: RequestHead;
  /** The body as received, for signatures over its exact bytes; absent as `head` is. */
  readonly rawBody?: Buffer;
  /** The relay's clock, for signature freshness. */
  readonly now: () => Date;
  /** A logger that already carries the request id and the endpoint. */
  readonly logger: RelayLogger;
}

/**
 * One webhook endpoint: where it is served, who may call it, and how its body becomes a
 * dispatch. Served at `/<name>`, under any prefix (an API Gateway stage: `/prod/<name>`).
 */
export interface Endpoint {
  /** The last path segment, and the `endpoint` label of metrics and logs. */
  readonly name: string;
  /** The action's adapters (their `source`) that read what this endpoint forwards. */
  readonly adapters: readonly string[];
  /** How a request proves it may be forwarded; undefined while the configuration leaves it off. */
  authentication(config: RelayConfig): Authentication | undefined;
  /**
   * Turns the parsed JSON body into what is dispatched. Throws PayloadError for a body the
   * action could not read, or a Refusal for anything else.
   */
  receive(body: unknown, context: EndpointContext): Received | Promise<Received>;
}
