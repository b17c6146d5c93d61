// The GitHub the relay talks to: every request goes to the validating stand-in of
// test/relay/support/github-stand-in.ts (GitHub's OpenAPI description, the token), and each
// dispatch it accepts becomes a workflow run handed to `onDispatch`.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GitHubStandIn } from "../test/relay/support/github-stand-in.ts";

export interface AcceptedDispatch {
  /** When the relay's request reached GitHub (ms since the epoch). */
  readonly receivedAt: number;
  readonly body: { event_type: string; client_payload: Record<string, unknown> };
}

export interface GitHub {
  readonly url: string;
  readonly standIn: GitHubStandIn;
  stop(): Promise<void>;
}

export async function startGitHub(token: string, onDispatch: (dispatch: AcceptedDispatch) => void): Promise<GitHub> {
  const standIn = new GitHubStandIn(token, ["repos/create-dispatch-event"]);
  await standIn.start();
  const server: Server = createServer((request, response) => {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const body = Buffer.concat(chunks);
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([name, value]) => typeof value === "string" && !["host", "content-length", "connection"].includes(name)),
      ) as Record<string, string>;
      const answer = await fetch(`${standIn.url}${request.url}`, { method: request.method, headers, ...(body.length > 0 ? { body } : {}) });
      const text = await answer.text();
      response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      response.end(text);
      const accepted = answer.status >= 200 && answer.status < 300;
      if (accepted && request.method === "POST" && /\/dispatches$/.test(request.url ?? "")) {
        onDispatch({ receivedAt, body: JSON.parse(body.toString("utf8")) as AcceptedDispatch["body"] });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    standIn,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await standIn.stop();
    },
  };
}
