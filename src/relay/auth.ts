import { createHash, timingSafeEqual } from "node:crypto";
import type { AlertmanagerAuth } from "./config.js";

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

/** Alertmanager may authenticate with either configured method; both are checked in full. */
export function alertmanagerAuthorized(auth: AlertmanagerAuth, authorization: string | undefined): boolean {
  const token = bearerToken(authorization);
  if (token !== undefined && auth.bearerToken !== undefined) {
    return secretsEqual(token, auth.bearerToken);
  }
  const basic = basicCredentials(authorization);
  if (basic !== undefined && auth.basic !== undefined) {
    // Both halves are compared, always, so a right user name does not answer faster.
    const userMatches = secretsEqual(basic.username, auth.basic.username);
    const passwordMatches = secretsEqual(basic.password, auth.basic.password);
    return userMatches && passwordMatches;
  }
  return false;
}
