import { createAppAuth } from "@octokit/auth-app";
import { request as octokitRequest } from "@octokit/request";
import type { GitHubSettings } from "./config.js";
import type { RelayMetrics } from "./metrics.js";

/** One `POST /repos/{owner}/{repo}/dispatches`. */
export interface DispatchRequest {
  readonly repository: string;
  readonly eventType: string;
  readonly clientPayload: Record<string, unknown>;
  /** The payload to send on an attempt sent at `sentAt` (it says when it was sent); clientPayload otherwise. */
  readonly payloadAt?: (sentAt: Date) => Record<string, unknown>;
}

/** How a dispatch ended, after every retry the time budget allowed. */
export type DispatchOutcome =
  /** `sentAt`: when the accepted attempt was sent. */
  | { readonly kind: "accepted"; readonly attempts: number; readonly sentAt: Date }
  /** GitHub was down, slow or rate-limiting: the sender should try again later. */
  | { readonly kind: "unavailable"; readonly attempts: number; readonly message: string; readonly retryAfterSeconds?: number }
  /** GitHub refused the payload (422): sending it again cannot help. */
  | { readonly kind: "rejected"; readonly message: string }
  /** The token, the App or the repository is wrong: the operator must fix the relay's settings. */
  | { readonly kind: "misconfigured"; readonly status: number; readonly message: string };

export interface GitHubDependencies {
  readonly metrics: RelayMetrics;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** GitHub asks clients to wait at least a minute after a secondary rate limit without Retry-After. */
const SECONDARY_LIMIT_FALLBACK_MS = 60_000;
const USER_AGENT = "pulumiscale-relay";
/** How long an attempt still in flight at the deadline may take to answer (see dispatch). */
export const LATE_ANSWER_GRACE_MS = 5_000;

/**
 * Sends repository dispatches. Retries are done here rather than with Octokit's retry and
 * throttling plugins because the relay must answer its sender within the sender's own timeout
 * (SNS waits 15 s): every wait is checked against one deadline, Retry-After is honoured for 5xx
 * and 429 as well as for secondary limits, and the sender is told to come back when GitHub asks
 * for a wait longer than the deadline allows.
 */
export class GitHubDispatcher {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly tokens: TokenSource;

  constructor(
    private readonly settings: GitHubSettings,
    private readonly deps: GitHubDependencies,
  ) {
    const baseFetch = deps.fetch ?? fetch;
    // Every request to GitHub, token requests included, goes through here to be timed.
    this.fetch = async (input, init) => {
      const started = performance.now();
      let outcome = "error";
      try {
        // Never follow a redirect: a 301 would turn the POST into a GET that "succeeds", and a 307
        // would send the dispatch (without its token) to another origin. The 3xx is reported instead.
        const response = await baseFetch(input, { ...init, redirect: "manual" });
        outcome = `${Math.floor(response.status / 100)}xx`;
        return response;
      } finally {
        deps.metrics.githubLatency.observe({ outcome }, (performance.now() - started) / 1000);
      }
    };
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = deps.random ?? Math.random;
    this.tokens = tokenSource(settings, this.fetch);
  }

  async dispatch(dispatch: DispatchRequest): Promise<DispatchOutcome> {
    const deadline = Date.now() + this.settings.timeoutMs;
    const [owner = "", repo = ""] = dispatch.repository.split("/");
    const url = `${this.settings.apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/dispatches`;
    const bodyAt = (sentAt: Date) =>
      JSON.stringify({ event_type: dispatch.eventType, client_payload: dispatch.payloadAt ? dispatch.payloadAt(sentAt) : dispatch.clientPayload });
    let lastProblem = "no attempt was made";

    for (let attempt = 1; attempt <= this.settings.maxAttempts; attempt++) {
      let waitMs = this.backoff(attempt);
      // Set only when GitHub itself said how long to wait (Retry-After, a rate-limit reset).
      let githubWaitMs: number | undefined;
      // An attempt that is still waiting at the deadline gets a little longer: GitHub may have
      // created the dispatch already, and a late 204 is still a success. Giving up on it would
      // make the sender retry, and GitHub would get the dispatch twice. The timer is cleared
      // as soon as the attempt ends: AbortSignal.timeout() would keep every finished request
      // reachable until it fired, hundreds of MB at a few hundred requests a second.
      const attemptAbort = new AbortController();
      const attemptTimer = setTimeout(
        () => attemptAbort.abort(new DOMException("GitHub did not answer in time", "TimeoutError")),
        Math.max(1, deadline - Date.now()) + LATE_ANSWER_GRACE_MS,
      );
      try {
        const token = await this.tokens.tokenFor(owner, repo);
        const sentAt = new Date();
        const body = bodyAt(sentAt);
        const response = await this.fetch(url, {
          method: "POST",
          headers: {
            accept: "application/vnd.github+json",
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "x-github-api-version": "2022-11-28",
          },
          body,
          signal: attemptAbort.signal,
        });
        // Only 204 means GitHub created the dispatch; anything else in 2xx or 3xx comes from
        // something in between (a proxy, an SSO gateway) and nothing was dispatched.
        if (response.status === 204) {
          await response.body?.cancel();
          return { kind: "accepted", attempts: attempt, sentAt };
        }
        if (response.status < 400) {
          await response.body?.cancel();
          const location = redirectTarget(response.headers.get("location"), url);
          return {
            kind: "misconfigured",
            status: response.status,
            message: `GitHub answered ${response.status}${location ? ` (a redirect to ${location}, not followed)` : ""}, not 204; no dispatch was created; check RELAY_GITHUB_API_URL and anything between the relay and GitHub`,
          };
        }
        const message = await githubMessage(response);
        const verdict = classify(response.status, response.headers, message);
        if (verdict.kind === "rejected") return { kind: "rejected", message: `GitHub answered 422: ${message}` };
        if (verdict.kind === "misconfigured") {
          return { kind: "misconfigured", status: response.status, message: `GitHub answered ${response.status}: ${message}` };
        }
        githubWaitMs = verdict.guessed ? undefined : verdict.waitMs;
        waitMs = verdict.waitMs ?? waitMs;
        lastProblem = `GitHub answered ${response.status}: ${message}`;
      } catch (error) {
        const failure = tokenFailure(error);
        if (failure?.kind === "misconfigured") {
          return { kind: "misconfigured", status: failure.status, message: `getting an installation token failed: ${failure.message}` };
        }
        lastProblem = failure ? `getting an installation token failed: ${failure.message}` : `GitHub could not be reached: ${describe(error)}`;
      } finally {
        clearTimeout(attemptTimer);
      }
      const remainingMs = deadline - Date.now();
      if (attempt === this.settings.maxAttempts || waitMs >= remainingMs) {
        return {
          kind: "unavailable",
          attempts: attempt,
          message: lastProblem,
          ...(githubWaitMs !== undefined && githubWaitMs > remainingMs ? { retryAfterSeconds: Math.ceil(githubWaitMs / 1000) } : {}),
        };
      }
      await this.sleep(waitMs);
    }
    return { kind: "unavailable", attempts: this.settings.maxAttempts, message: lastProblem };
  }

  private backoff(attempt: number): number {
    const full = this.settings.retryBaseMs * 2 ** (attempt - 1);
    // Jitter spreads out retries of many relays hit by the same outage.
    return Math.round(full * (0.5 + this.random() * 0.5));
  }
}

/** `guessed`: the wait is the relay's own, not a time GitHub gave. */
type Verdict = { kind: "retry"; waitMs?: number; guessed?: boolean } | { kind: "rejected" } | { kind: "misconfigured" };

function classify(status: number, headers: Headers, message: string): Verdict {
  const retryAfterMs = parseRetryAfter(headers.get("retry-after"));
  if (status === 422) return { kind: "rejected" };
  if (status >= 500) return { kind: "retry", ...(retryAfterMs !== undefined ? { waitMs: retryAfterMs } : {}) };
  const primaryLimit = headers.get("x-ratelimit-remaining") === "0";
  const secondaryLimit = /secondary rate limit/i.test(message);
  if (status === 429 || (status === 403 && (primaryLimit || secondaryLimit || retryAfterMs !== undefined))) {
    if (retryAfterMs !== undefined) return { kind: "retry", waitMs: retryAfterMs };
    const reset = Number(headers.get("x-ratelimit-reset"));
    if (primaryLimit && Number.isFinite(reset) && reset > 0) {
      return { kind: "retry", waitMs: Math.max(0, reset * 1000 - Date.now()) + 1000 };
    }
    return { kind: "retry", waitMs: SECONDARY_LIMIT_FALLBACK_MS, guessed: true };
  }
  return { kind: "misconfigured" };
}

/** Retry-After as seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Where a redirect pointed, as an origin only (a path or query could hold anything). */
function redirectTarget(location: string | null, base: string): string | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, base).origin;
  } catch {
    return undefined;
  }
}

/** GitHub's error messages are short; more than this is not read (a proxy may send megabytes). */
export const MAX_ERROR_BODY_BYTES = 4096;

/** Reads at most `limit` bytes of a body and cancels the rest. */
async function readCapped(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body cut short is read as far as it came.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString("utf8");
}

async function githubMessage(response: Response): Promise<string> {
  const text = await readCapped(response, MAX_ERROR_BODY_BYTES);
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof message === "string") return message.slice(0, 300);
  } catch {
    // Not JSON: fall through to the status text.
  }
  return response.statusText || "no message";
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

interface TokenSource {
  tokenFor(owner: string, repo: string): Promise<string>;
}

/** Where a token comes from: the configured one, or a GitHub App installation (cached by Octokit). */
function tokenSource(settings: GitHubSettings, timedFetch: typeof fetch): TokenSource {
  const credentials = settings.credentials;
  if (credentials.type === "token") return { tokenFor: async () => credentials.token };

  const request = octokitRequest.defaults({
    baseUrl: settings.apiUrl,
    headers: { "user-agent": USER_AGENT },
    request: { fetch: timedFetch },
  });
  const auth = createAppAuth({ appId: credentials.appId, privateKey: credentials.privateKey, request });
  const installations = new Map<string, number>();
  return {
    async tokenFor(owner, repo) {
      let installationId = credentials.installationId ?? installations.get(`${owner}/${repo}`);
      if (installationId === undefined) {
        const app = await auth({ type: "app" });
        const response = await request("GET /repos/{owner}/{repo}/installation", {
          owner,
          repo,
          headers: { authorization: `bearer ${app.token}` },
        });
        installationId = response.data.id;
        installations.set(`${owner}/${repo}`, installationId);
      }
      const installation = await auth({ type: "installation", installationId });
      return installation.token;
    },
  };
}

/** Classifies a failed token request (an Octokit RequestError); undefined for anything else. */
function tokenFailure(error: unknown): { kind: "retry" | "misconfigured"; status: number; message: string } | undefined {
  if (!(error instanceof Error) || error.name !== "HttpError") return undefined;
  const status = (error as Error & { status?: number }).status ?? 0;
  // Octokit's message is GitHub's; it never contains the App's key or tokens.
  const message = `${status} ${error.message.slice(0, 300)}`;
  if (status === 0 || status >= 500 || status === 429) return { kind: "retry", status, message };
  return { kind: "misconfigured", status, message };
}
