import { readRelayConfig } from "./config.js";
import { jsonLogger } from "./log.js";
import { Relay, type RelayRequest, type RelayResponse } from "./relay.js";

/**
 * The relay as an AWS Lambda handler (`lambda.handler` in dist/relay/lambda.mjs). It accepts:
 * - Function URL and API Gateway HTTP API (payload 2.0) events,
 * - API Gateway REST API (payload 1.0) events,
 * - SNS subscription events (`Records[].Sns`), where the Lambda itself subscribes to the topic.
 * Settings come from the same RELAY_* variables as the HTTP server.
 */

let defaultRelay: Relay | undefined;

/** One relay per Lambda instance, so the certificate cache and GitHub App tokens are reused. */
export const handler = createLambdaHandler(() => {
  defaultRelay ??= new Relay(readRelayConfig(process.env), { logger: jsonLogger() });
  return defaultRelay;
});

interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

type LambdaEvent = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const badEvent = (message: string): HttpResult => ({
  statusCode: 400,
  headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  body: JSON.stringify({ error: "bad_event", message }),
});

/**
 * Builds a handler around a relay; `getRelay` is called on the first event, not at import. An
 * event of no known shape is answered 400 rather than thrown: a thrown error is an invocation
 * failure that Lambda retries, and retrying cannot make such an event readable.
 */
export function createLambdaHandler(getRelay: () => Relay): (event: unknown) => Promise<HttpResult | void> {
  return async (event) => {
    if (!isRecord(event)) return badEvent("expected an event object from a Function URL, API Gateway or an SNS subscription");
    const records = event["Records"];
    if (records !== undefined) return handleSnsRecords(getRelay(), records);
    const request = toRelayRequest(event);
    if (typeof request === "string") return badEvent(request);
    return toHttpResult(await getRelay().handle(request));
  };
}

/**
 * SNS invokes the function asynchronously: a thrown error makes Lambda retry (twice by default,
 * then the on-failure destination), so errors are thrown only when a retry can help (5xx).
 * Records that are not SNS messages (SQS, S3, ...) are answered 400: this relay cannot read them.
 */
async function handleSnsRecords(relay: Relay, records: unknown): Promise<HttpResult | void> {
  if (!Array.isArray(records) || records.length === 0) return badEvent("expected Records to be a list of SNS records");
  const notSns = records.findIndex((record) => !isRecord(record) || record["EventSource"] !== "aws:sns" || !isRecord(record["Sns"]));
  if (notSns >= 0) return badEvent(`expected only SNS records (EventSource aws:sns with an Sns object); Records[${notSns}] is not one`);
  for (const record of records as Record<string, unknown>[]) {
    const response = await relay.handleSnsRecord(record["Sns"]);
    if (response.status >= 500) {
      throw new Error(`SNS message not forwarded (${response.status}); Lambda will retry: ${response.body}`);
    }
  }
}

/** The HTTP request an event describes, or what is wrong with it. */
function toRelayRequest(event: LambdaEvent): RelayRequest | string {
  const context = isRecord(event["requestContext"]) ? event["requestContext"] : {};
  const http = isRecord(context["http"]) ? context["http"] : undefined;
  // Payload 2.0 (Function URL, HTTP API) names method and path under requestContext.http; 1.0 at the top.
  const method = http?.["method"] ?? event["httpMethod"];
  const rawPath = event["rawPath"] ?? event["path"];
  if (typeof method !== "string") return "expected requestContext.http.method (payload 2.0) or httpMethod (payload 1.0) to be text";
  if (typeof rawPath !== "string" || !rawPath.startsWith("/")) return "expected rawPath (payload 2.0) or path (payload 1.0) to be a path starting with /";
  const path = `${rawPath}${queryString(event)}`;
  const headers: Record<string, string> = {};
  if (isRecord(event["headers"])) {
    for (const [name, value] of Object.entries(event["headers"])) {
      if (typeof value === "string") headers[name.toLowerCase()] = value;
    }
  }
  const rawBody = typeof event["body"] === "string" ? event["body"] : "";
  const body = Buffer.from(rawBody, event["isBase64Encoded"] === true ? "base64" : "utf8");
  return { method, path, headers, body };
}

/** The query string, from `rawQueryString` (payload 2.0) or the parameter maps of payload 1.0. */
function queryString(event: LambdaEvent): string {
  if (typeof event["rawQueryString"] === "string") return event["rawQueryString"] ? `?${event["rawQueryString"]}` : "";
  const query = new URLSearchParams();
  const multi = event["multiValueQueryStringParameters"];
  const single = event["queryStringParameters"];
  if (isRecord(multi)) {
    for (const [name, values] of Object.entries(multi)) {
      if (Array.isArray(values)) for (const value of values) if (typeof value === "string") query.append(name, value);
    }
  } else if (isRecord(single)) {
    for (const [name, value] of Object.entries(single)) if (typeof value === "string") query.append(name, value);
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}

function toHttpResult(response: RelayResponse): HttpResult {
  return { statusCode: response.status, headers: { ...response.headers }, body: response.body };
}
