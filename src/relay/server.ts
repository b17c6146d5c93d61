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
  const path = request.url ?? "/";
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    return refuseTooLarge(relay, path, request, response);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) return refuseTooLarge(relay, path, request, response);
    chunks.push(chunk);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const result = await relay.handle({ method: request.method ?? "GET", path, headers, body: Buffer.concat(chunks) });
  send(response, result);
}

function refuseTooLarge(relay: Relay, path: string, request: IncomingMessage, response: ServerResponse): void {
  const result = relay.refuseTooLarge(path);
  send(response, { ...result, headers: { ...result.headers, connection: "close" } });
  // Whatever is still coming is discarded, not buffered; the connection closes after the answer.
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
