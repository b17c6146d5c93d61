import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ByteBudget } from "./byte-budget.js";
import type { RelayConfig } from "./config.js";
import type { AdmittedRequest, Relay, RelayResponse } from "./relay.js";

/**
 * Serves the relay over HTTP with bounded memory:
 * - credentials are checked from the request head, so a stranger's body is never buffered;
 * - bodies of admitted requests are read up to RELAY_MAX_BODY_BYTES each, and up to
 *   RELAY_MAX_INFLIGHT_BODY_BYTES for all requests together (then 503);
 * - at most RELAY_MAX_CONNECTIONS connections are open; more are closed at once;
 * - headers must arrive within RELAY_HEADERS_TIMEOUT_MS and the whole request within
 *   RELAY_REQUEST_TIMEOUT_MS.
 * A request answered before its body was read (401, 404, 413, ...) gets its answer at once, and
 * the rest of its body is never read (see answerEarly).
 */

type ServerSettings = Pick<RelayConfig, "maxBodyBytes" | "server">;

export function createRelayServer(relay: Relay, settings: ServerSettings): Server {
  const budget = new ByteBudget(settings.server.maxInflightBodyBytes);
  relay.metrics.inflightBodyBytes.track(() => budget.inUse);
  const answered = new WeakSet<Socket>();
  const server = createServer(
    {
      headersTimeout: settings.server.headersTimeoutMs,
      requestTimeout: settings.server.requestTimeoutMs,
      keepAliveTimeout: 5_000,
      // Node checks the two timeouts above only this often (30 s by default), so they would be
      // exceeded by up to that much.
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(settings.server.headersTimeoutMs / 4))),
    },
    (request, response) => {
      serve(relay, settings.maxBodyBytes, budget, answered, request, response).catch((error: unknown) => {
        // The relay answers every refusal itself; this is the last guard for a bug.
        relay.reportInternalError(error);
        if (!response.headersSent) send(response, { status: 500, headers: {}, body: '{"error":"internal_error"}' });
        else response.destroy();
      });
    },
  );
  server.maxConnections = settings.server.maxConnections;
  server.on("drop", () => relay.metrics.clientErrors.inc({ reason: "connection_limit" }));
  // Malformed requests, timeouts and resets are the client's doing: counted, never logged as errors.
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    const reason = clientErrorReason(error);
    relay.metrics.clientErrors.inc({ reason });
    if (socket.writable && !answered.has(socket) && reason !== "reset") {
      const status = reason === "timeout" ? "408 Request Timeout" : reason === "headers_too_large" ? "431 Request Header Fields Too Large" : "400 Bad Request";
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });
  return server;
}

function clientErrorReason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return "timeout";
    case "HPE_HEADER_OVERFLOW":
      return "headers_too_large";
    case "ECONNRESET":
    case "EPIPE":
      return "reset";
    default:
      return "bad_request";
  }
}

async function serve(
  relay: Relay,
  maxBodyBytes: number,
  budget: ByteBudget,
  answered: WeakSet<Socket>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const admission = relay.admit({ method: request.method ?? "GET", path: request.url ?? "/", headers });
  if (admission.kind === "answered") return answerEarly(request, response, admission.response, answered);
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    return answerEarly(request, response, relay.refuseTooLarge(admission.request), answered);
  }
  const read = await readBody(request, maxBodyBytes, budget);
  try {
    switch (read.kind) {
      case "aborted":
        relay.clientGone(admission.request);
        return;
      case "too_large":
        return answerEarly(request, response, relay.refuseTooLarge(admission.request), answered);
      case "busy":
        return answerEarly(request, response, relay.refuseBusy(admission.request), answered);
      case "body":
        return await answerAfterBody(relay, admission.request, read.body, response);
    }
  } finally {
    budget.give(read.taken);
  }
}

async function answerAfterBody(relay: Relay, request: AdmittedRequest, body: Buffer, response: ServerResponse): Promise<void> {
  const result = await relay.receive(request, body);
  if (response.destroyed) relay.clientGone(request);
  else send(response, result);
}

type BodyRead =
  | { readonly kind: "body"; readonly body: Buffer; readonly taken: number }
  | { readonly kind: "too_large" | "busy" | "aborted"; readonly taken: number };

/** Reads a body into memory within both limits; stops listening (but does not close) when one is hit. */
function readBody(request: IncomingMessage, maxBodyBytes: number, budget: ByteBudget): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let taken = 0;
    const finish = (result: BodyRead) => {
      request.off("data", onData).off("end", onEnd).off("aborted", onAborted).off("error", onAborted).off("close", onClose);
      if (result.kind !== "body") chunks.length = 0;
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (taken + chunk.length > maxBodyBytes) return finish({ kind: "too_large", taken });
      if (!budget.take(chunk.length)) return finish({ kind: "busy", taken });
      taken += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: "body", body: Buffer.concat(chunks, taken), taken });
    const onAborted = () => finish({ kind: "aborted", taken });
    const onClose = () => {
      if (!request.complete) finish({ kind: "aborted", taken });
    };
    request.on("data", onData).on("end", onEnd).on("aborted", onAborted).on("error", onAborted).on("close", onClose);
  });
}

/**
 * Answers before (all of) the body was read. The answer goes out at once, with `Connection:
 * close`; the connection is not closed while the client may still be uploading, because closing
 * with unread data resets it, and many clients (Go's net/http among them) then report `broken
 * pipe` instead of the answer, and retry. Reading stops instead: TCP flow control holds the
 * upload back, the client reads the answer and hangs up, and the relay neither reads nor holds
 * the rest. A client that never hangs up is closed at RELAY_REQUEST_TIMEOUT_MS.
 */
function answerEarly(request: IncomingMessage, response: ServerResponse, result: RelayResponse, answered: WeakSet<Socket>): void {
  const length = request.headers["content-length"];
  const bodyExpected = request.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
  if (!bodyExpected || request.complete) {
    send(response, result);
    request.resume();
    return;
  }
  answered.add(request.socket);
  response.writeHead(result.status, { ...result.headers, connection: "close", "content-length": Buffer.byteLength(result.body) });
  response.write(result.body);
  request.pause();
  request.socket.pause();
  request.on("error", () => request.socket.destroy());
  // The upload ended after all (it fitted in the socket buffers): finish the answer and close.
  request.on("end", () => response.end());
}

function send(response: ServerResponse, result: RelayResponse): void {
  response.writeHead(result.status, { ...result.headers, "content-length": Buffer.byteLength(result.body) });
  response.end(result.body);
}

/** Starts listening and resolves with the address, e.g. http://127.0.0.1:8080. */
export function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolve(`http://${shownHost}:${address.port}`);
    });
  });
}
