import type { SnsRejectionReason } from "./sns.js";

/** Why a request was not forwarded; the metrics label and the `error` field of the answer. */
export type RefusalReason =
  | "not_found"
  | "method_not_allowed"
  | "unauthorized"
  | "too_large"
  | "bad_json"
  | "invalid_payload"
  | "no_route"
  | "busy"
  | SnsRejectionReason
  | "sns_confirmation_failed"
  | "jwks_unavailable"
  | "github_rejected"
  | "github_misconfigured"
  | "github_unavailable";

/** A request the relay will not forward; `status` tells the sender whether to try again. */
export class Refusal extends Error {
  override readonly name = "Refusal";
  constructor(
    readonly status: number,
    readonly reason: RefusalReason,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
