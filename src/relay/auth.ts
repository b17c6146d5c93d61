import { createHash, timingSafeEqual } from "node:crypto";
import type { CredentialCheck } from "./endpoints/endpoint.js";

/**
 * Credential checks an endpoint can combine. Every check reads only the request head (headers,
 * query string), so credentials are known before a body is read.
 */

/**
 * Compares a presented secret with the expected one in constant time. Both are hashed first so
 * the comparison takes the same time whatever their lengths, and the length itself does not leak.
 */
export function secretsEqual(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

/** The value of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1];
}

/** The user and password of an `Authorization: Basic <base64>` header, or undefined. */
export function basicCredentials(authorization: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic[ ]+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** `Authorization: Bearer <secret>`. */
export function bearerSecret(secret: string): CredentialCheck {
  return (head) => secretsEqual(bearerToken(head.headers["authorization"]) ?? "", secret);
}

/** `Authorization: Basic` with this user and password; both halves are compared, always. */
export function basicSecret(username: string, password: string): CredentialCheck {
  return (head) => {
    const presented = basicCredentials(head.headers["authorization"]);
    const userMatches = secretsEqual(presented?.username ?? "", username);
    const passwordMatches = secretsEqual(presented?.password ?? "", password);
    return presented !== undefined && userMatches && passwordMatches;
  };
}

/** A header that carries the secret as its whole value, such as `x-api-key`. */
export function headerSecret(headerName: string, secret: string): CredentialCheck {
  const name = headerName.toLowerCase();
  return (head) => secretsEqual(head.headers[name] ?? "", secret);
}

/**
 * A query-string parameter that carries the secret (`?token=...`), for senders that cannot set
 * headers. The relay never logs or echoes a query string, but proxies in front of it may.
 */
export function querySecret(parameter: string, secret: string): CredentialCheck {
  return (head) => {
    const values = head.query.getAll(parameter);
    // Exactly one value: `?token=a&token=b` is refused rather than guessed at.
    return values.length === 1 && secretsEqual(values[0] ?? "", secret);
  };
}

/** Passes when any check passes. Every check runs, so which one matched does not show in the timing. */
export function anyOf(...checks: readonly CredentialCheck[]): CredentialCheck {
  return (head) => checks.map((check) => check(head)).includes(true);
}
