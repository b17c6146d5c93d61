import { verify as verifySignature, X509Certificate, type KeyObject } from "node:crypto";
import { get as httpsGet } from "node:https";
import { describeDuration } from "./config.js";

/**
 * Verifies Amazon SNS messages the way AWS documents it: the signing certificate comes only from
 * an https URL on an SNS host, the signature covers a fixed list of fields, and only the
 * configured topics are accepted. Checks run cheapest first, so an unknown topic costs no fetch.
 * A signed message stays valid forever, so its signed Timestamp must also be recent: otherwise a
 * captured message could be replayed to the relay at any later time.
 */

export interface SnsEnvelope {
  readonly Type: "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly SignatureVersion: string;
  readonly Signature: string;
  readonly SigningCertURL: string;
  readonly Subject?: string;
  readonly Token?: string;
  readonly SubscribeURL?: string;
  readonly UnsubscribeURL?: string;
}

export type SnsRejectionReason =
  | "sns_invalid"
  | "sns_topic"
  | "sns_certificate_url"
  | "sns_certificate"
  | "sns_signature"
  | "sns_timestamp_too_old"
  | "sns_timestamp_in_future"
  | "sns_unavailable";

/**
 * Why an SNS message was refused. Forged-looking or stale messages get 403, malformed ones 400;
 * when the certificate cannot be downloaded, 503 makes SNS deliver the message again later.
 */
export class SnsRejection extends Error {
  override readonly name = "SnsRejection";
  constructor(
    readonly reason: SnsRejectionReason,
    message: string,
  ) {
    super(message);
  }
  get status(): number {
    return this.reason === "sns_invalid" ? 400 : this.reason === "sns_unavailable" ? 503 : 403;
  }
}

const types = new Set(["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"]);

// The fields each message type signs, in the order AWS signs them.
const signedFields: Record<SnsEnvelope["Type"], readonly (keyof SnsEnvelope)[]> = {
  Notification: ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
  SubscriptionConfirmation: ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
  UnsubscribeConfirmation: ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
};

/**
 * How far a message's Timestamp may be ahead of the relay's clock. SNS stamps messages with its
 * own clock, so a small difference between two well-synchronised clocks is normal.
 */
export const SNS_CLOCK_SKEW_MS = 5 * 60 * 1000;

// ISO 8601 as SNS writes it (2026-11-26T10:00:00.000Z); an offset instead of Z is accepted too.
const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * SNS hosts, without a port: exactly `sns.<region>.amazonaws.com`, and `.com.cn` for the China
 * regions. A region is letters, dash-separated words and a number (us-west-2, us-gov-east-1,
 * cn-north-1), so other services' hosts such as `sns.s3-us-west-2.amazonaws.com` do not match.
 */
export function isSnsHost(host: string): boolean {
  const match = /^sns\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(\.cn)?$/.exec(host);
  if (!match?.[1]) return false;
  return match[1].startsWith("cn-") === (match[2] === ".cn");
}

/** Only the fields SNS signed: anything added to a signed message in transit is dropped. */
export function signedPart(envelope: SnsEnvelope): Partial<SnsEnvelope> {
  const signed: Record<string, unknown> = {};
  for (const field of signedFields[envelope.Type]) {
    if (envelope[field] !== undefined) signed[field] = envelope[field];
  }
  return signed as Partial<SnsEnvelope>;
}

/**
 * Reads an SNS message from an HTTP body or a Lambda record. Lambda spells some URL fields
 * `...Url`; they are renamed to the HTTP spelling so the action sees one shape.
 */
export function readSnsEnvelope(value: unknown): SnsEnvelope {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SnsRejection("sns_invalid", "expected an SNS message (a JSON object)");
  }
  const raw: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [lambdaName, httpName] of [
    ["SigningCertUrl", "SigningCertURL"],
    ["UnsubscribeUrl", "UnsubscribeURL"],
    ["SubscribeUrl", "SubscribeURL"],
  ] as const) {
    if (raw[lambdaName] !== undefined && raw[httpName] === undefined) raw[httpName] = raw[lambdaName];
    delete raw[lambdaName];
  }
  // Lambda adds MessageAttributes, which the signature does not cover and the action does not read.
  delete raw["MessageAttributes"];
  if (typeof raw["Type"] !== "string" || !types.has(raw["Type"])) {
    throw new SnsRejection("sns_invalid", `expected Type to be one of ${[...types].join(", ")}`);
  }
  const type = raw["Type"] as SnsEnvelope["Type"];
  const required = ["MessageId", "TopicArn", "Message", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL"];
  if (type !== "Notification") required.push("Token", "SubscribeURL");
  for (const field of required) {
    if (typeof raw[field] !== "string") {
      throw new SnsRejection("sns_invalid", `expected ${field} to be text in an SNS ${type}`);
    }
  }
  for (const field of ["Subject", "UnsubscribeURL"]) {
    if (raw[field] !== undefined && raw[field] !== null && typeof raw[field] !== "string") {
      throw new SnsRejection("sns_invalid", `expected ${field} to be text when present`);
    }
  }
  const timestamp = raw["Timestamp"] as string;
  if (!timestampPattern.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
    throw new SnsRejection("sns_invalid", `expected Timestamp to be an ISO 8601 time such as 2026-01-31T12:00:00.000Z, got ${JSON.stringify(timestamp.slice(0, 40))}`);
  }
  // A Notification without a subject may carry Subject: null (Lambda); it is then not signed.
  if (raw["Subject"] === null) delete raw["Subject"];
  return raw as unknown as SnsEnvelope;
}

/** The text SNS signs: `name\nvalue\n` for each signed field that is present. */
export function stringToSign(envelope: SnsEnvelope): string {
  let text = "";
  for (const field of signedFields[envelope.Type]) {
    const value = envelope[field];
    if (value === undefined) continue;
    text += `${field}\n${value}\n`;
  }
  return text;
}

export interface SnsVerifierOptions {
  readonly topicArns: readonly string[];
  /** Messages whose signed Timestamp is older than this are refused (RELAY_SNS_MAX_AGE). */
  readonly maxMessageAgeMs: number;
  /** Which `host` (with port, if any) may serve certificates and subscription URLs. Tests only. */
  readonly isAllowedHost?: (host: string) => boolean;
  /** Extra trusted CA for those https requests. Tests only. */
  readonly trustedCa?: string;
  /** The current time, for the Timestamp and certificate checks; tests set it. */
  readonly now?: () => Date;
}

const CERTIFICATE_CACHE_SIZE = 32;
const CERTIFICATE_CACHE_MS = 24 * 60 * 60 * 1000;
/** A failed download is remembered this long, so a burst of messages makes one attempt, not one each. */
export const CERTIFICATE_FAILURE_CACHE_MS = 60 * 1000;
/**
 * At most this many downloads of certificates not in the cache per window. Real SNS uses one
 * certificate per region for months; many new URLs at once come from someone probing.
 */
export const CERTIFICATE_DOWNLOADS_PER_WINDOW = 8;
export const CERTIFICATE_DOWNLOAD_WINDOW_MS = 10 * 60 * 1000;

export class SnsVerifier {
  private readonly topics: ReadonlySet<string>;
  private readonly isAllowedHost: (host: string) => boolean;
  private readonly now: () => Date;
  // Signing certificates rotate rarely; one fetch per URL per day is plenty. Promises are cached so
  // a burst of messages shares one download.
  private readonly certificates = new Map<string, { key: Promise<KeyObject>; fetchedAt: number }>();
  // Kept apart from the good ones, so failures cannot push a working certificate out of the cache.
  private readonly failures = new Map<string, { error: SnsRejection; failedAt: number }>();
  private downloadTimes: number[] = [];

  constructor(private readonly options: SnsVerifierOptions) {
    this.topics = new Set(options.topicArns);
    this.isAllowedHost = options.isAllowedHost ?? isSnsHost;
    this.now = options.now ?? (() => new Date());
  }

  /** Throws SnsRejection unless the message is from an allowed topic, signed by SNS, and recent. */
  async verify(envelope: SnsEnvelope): Promise<void> {
    if (!this.topics.has(envelope.TopicArn)) {
      throw new SnsRejection("sns_topic", `topic ${envelope.TopicArn} is not in RELAY_SNS_TOPIC_ARNS`);
    }
    const algorithm = { "1": "RSA-SHA1", "2": "RSA-SHA256" }[envelope.SignatureVersion];
    if (!algorithm) {
      throw new SnsRejection("sns_signature", `SignatureVersion ${JSON.stringify(envelope.SignatureVersion)} is not 1 or 2`);
    }
    const certificateUrl = this.checkUrl(envelope.SigningCertURL, "SigningCertURL");
    if (!certificateUrl.pathname.endsWith(".pem") || certificateUrl.search || certificateUrl.username || certificateUrl.password) {
      throw new SnsRejection("sns_certificate_url", "SigningCertURL must be a plain https URL of a .pem file on an SNS host");
    }
    const key = await this.publicKey(certificateUrl.href);
    const signature = Buffer.from(envelope.Signature, "base64");
    const valid = verifySignature(algorithm, Buffer.from(stringToSign(envelope), "utf8"), key, signature);
    if (!valid) {
      throw new SnsRejection("sns_signature", "the signature does not match the message");
    }
    // Only now is the Timestamp known to come from SNS. Checking it earlier would report a forged
    // message as merely old, and hide the forgery from the sns_signature count.
    this.checkTimestamp(envelope.Timestamp);
  }

  private checkTimestamp(timestamp: string): void {
    const ageMs = this.now().getTime() - Date.parse(timestamp);
    if (ageMs > this.options.maxMessageAgeMs) {
      throw new SnsRejection(
        "sns_timestamp_too_old",
        `the message was published at ${timestamp}, more than ${describeDuration(this.options.maxMessageAgeMs)} ago, and is refused as a possible replay; ` +
          "if SNS legitimately delivers this late (long retries), raise RELAY_SNS_MAX_AGE",
      );
    }
    if (ageMs < -SNS_CLOCK_SKEW_MS) {
      throw new SnsRejection(
        "sns_timestamp_in_future",
        `the message's Timestamp ${timestamp} is more than ${describeDuration(SNS_CLOCK_SKEW_MS)} ahead of the relay's clock; ` +
          "check that the relay's host keeps its clock in sync (NTP)",
      );
    }
  }

  /** Confirms a verified SubscriptionConfirmation by visiting its SubscribeURL. */
  async confirmSubscription(envelope: SnsEnvelope): Promise<void> {
    const url = this.checkUrl(envelope.SubscribeURL ?? "", "SubscribeURL");
    if (url.searchParams.get("Action") !== "ConfirmSubscription" || url.searchParams.get("TopicArn") !== envelope.TopicArn) {
      throw new SnsRejection("sns_invalid", "SubscribeURL must confirm a subscription to the message's own topic");
    }
    await httpsGetText(url.href, this.options.trustedCa);
  }

  private checkUrl(text: string, field: string): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new SnsRejection("sns_certificate_url", `${field} is not a URL`);
    }
    if (url.protocol !== "https:") {
      throw new SnsRejection("sns_certificate_url", `${field} must use https`);
    }
    if (!this.isAllowedHost(url.host)) {
      throw new SnsRejection("sns_certificate_url", `${field} host ${url.host} is not an SNS host (sns.<region>.amazonaws.com)`);
    }
    return url;
  }

  private publicKey(url: string): Promise<KeyObject> {
    const now = this.now().getTime();
    const cached = this.certificates.get(url);
    if (cached && now - cached.fetchedAt < CERTIFICATE_CACHE_MS) return cached.key;
    const failed = this.failures.get(url);
    if (failed && now - failed.failedAt < CERTIFICATE_FAILURE_CACHE_MS) return Promise.reject(failed.error);

    this.downloadTimes = this.downloadTimes.filter((at) => now - at < CERTIFICATE_DOWNLOAD_WINDOW_MS);
    if (this.downloadTimes.length >= CERTIFICATE_DOWNLOADS_PER_WINDOW) {
      return Promise.reject(
        new SnsRejection(
          "sns_unavailable",
          `more than ${CERTIFICATE_DOWNLOADS_PER_WINDOW} new signing certificate URLs within ${describeDuration(CERTIFICATE_DOWNLOAD_WINDOW_MS)}; not downloading more for now`,
        ),
      );
    }
    this.downloadTimes.push(now);
    const key = this.fetchPublicKey(url);
    if (this.certificates.size >= CERTIFICATE_CACHE_SIZE) {
      const oldest = this.certificates.keys().next().value;
      if (oldest !== undefined) this.certificates.delete(oldest);
    }
    this.certificates.set(url, { key, fetchedAt: now });
    key.catch((error: unknown) => {
      this.certificates.delete(url);
      if (this.failures.size >= CERTIFICATE_CACHE_SIZE * 8) this.failures.clear();
      const rejection = error instanceof SnsRejection ? error : new SnsRejection("sns_unavailable", String(error));
      this.failures.set(url, { error: rejection, failedAt: this.now().getTime() });
    });
    return key;
  }

  private async fetchPublicKey(url: string): Promise<KeyObject> {
    let pem: string;
    try {
      pem = await httpsGetText(url, this.options.trustedCa);
    } catch (error) {
      throw new SnsRejection("sns_unavailable", `cannot download the signing certificate: ${(error as Error).message}`);
    }
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(pem);
    } catch (error) {
      throw new SnsRejection("sns_certificate", `the signing certificate is not a certificate: ${(error as Error).message}`);
    }
    const now = this.now();
    if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) {
      throw new SnsRejection("sns_certificate", "the signing certificate is not valid now");
    }
    return certificate.publicKey;
  }
}

const MAX_FETCH_BYTES = 64 * 1024;
const FETCH_TIMEOUT_MS = 5_000;

/** GETs a small text resource over https: no redirects, a size cap and a timeout. */
export function httpsGetText(url: string, trustedCa?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = httpsGet(url, { timeout: FETCH_TIMEOUT_MS, ...(trustedCa ? { ca: trustedCa } : {}) }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`GET ${new URL(url).host} answered ${response.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_FETCH_BYTES) {
          request.destroy(new Error(`GET ${new URL(url).host} returned more than ${MAX_FETCH_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`GET ${new URL(url).host} timed out`)));
    request.on("error", reject);
  });
}
