import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Relay, RelayResponse } from "./relay.js";

/**
 * Serves the relay over HTTP. Bodies are read up to the configured limit and no further: a
 * larger one is answered with 413 at once and the connection is closed afterwards.
 */
export function createRelayServer(relay: Relay, maxBodyBytes: number): Server {
  const server = createServer((request, response) => {
    serve(relay, maxBodyBytes, request, response).catch((error: unknown) => {
      // handle() answers every refusal itself; this is the last guard for a bug.
      process.stderr.write(`${JSON.stringify({ level: "error", message: "unhandled", error: String(error) })}\n`);
      if (!response.headersSent) send(response, { status: 500, headers: {}, body: '{"error":"internal_error"}' });
    });
  });
  // Slow or stalled senders do not hold connections forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  return server;
}

async function serve(relay: Relay, maxBodyBytes: number, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  // Credentials are checked from the head: a stranger's body is never read.
  const admission = relay.admit({ method: request.method ?? "GET", path: request.url ?? "/", headers });
  if (admission.kind === "answered") return answerEarly(request, response, admission.response);
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    return answerEarly(request, response, relay.refuseTooLarge(admission.request));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) return answerEarly(request, response, relay.refuseTooLarge(admission.request));
    chunks.push(chunk);
  }
  send(response, await relay.receive(admission.request, Buffer.concat(chunks)));
}

/** Answers before the body is read; whatever is still coming is discarded, not buffered. */
function answerEarly(request: IncomingMessage, response: ServerResponse, result: RelayResponse): void {
  const length = request.headers["content-length"];
  const bodyExpected = request.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
  send(response, bodyExpected ? { ...result, headers: { ...result.headers, connection: "close" } } : result);
  request.resume();
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
