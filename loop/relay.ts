// The relay exactly as deployed: `node dist/relay/server.mjs` configured by RELAY_* variables. Its
// JSON log lines say when each Alertmanager notification arrived and was forwarded.
import path from "node:path";
import { repoRoot } from "../test/support/fleet.ts";
import { freePort, startService, waitUntilReady, type Service } from "./processes.ts";

export interface RelayLogLine {
  readonly time: string;
  readonly level: string;
  readonly message: string;
  readonly endpoint?: string;
  readonly status?: number;
  readonly reason?: string;
  readonly ms?: number;
}

export interface RunningRelay {
  readonly url: string;
  readonly service: Service;
  readonly lines: RelayLogLine[];
}

export async function startRelay(workDir: string, githubUrl: string, githubToken: string, alertmanagerToken: string): Promise<RunningRelay> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = startService("relay", process.execPath, [path.join(repoRoot, "dist", "relay", "server.mjs")], {
    env: {
      PATH: process.env["PATH"],
      RELAY_HOST: "127.0.0.1",
      RELAY_PORT: String(port),
      RELAY_GITHUB_API_URL: githubUrl,
      RELAY_GITHUB_TOKEN: githubToken,
      RELAY_GITHUB_REPOSITORY: "acme/fleet",
      RELAY_ALERTMANAGER_TOKEN: alertmanagerToken,
    },
    logFile: path.join(workDir, "relay.log"),
  });
  const lines: RelayLogLine[] = [];
  service.onLine((line) => {
    if (line.startsWith("{")) lines.push(JSON.parse(line) as RelayLogLine);
  });
  await waitUntilReady(service, `${url}/healthz`);
  return { url, service, lines };
}
