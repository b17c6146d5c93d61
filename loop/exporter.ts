// The load generator's exporter: at each scrape it reports the scripted load, the pool size the
// "cloud" holds (read from the fixture's file, so it reacts to real scalings) and the load per
// running worker, which the alerting rules watch.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { loadAt, type Profile } from "./profile.ts";

export interface Exporter {
  readonly url: string;
  /** Seconds since the profile started. */
  elapsed(): number;
  stop(): Promise<void>;
}

/** The pool size as the fixture's pool resource last wrote it. */
export function poolSizeIn(stateDir: string): number {
  return JSON.parse(readFileSync(path.join(stateDir, "pool-workers.json"), "utf8")).size as number;
}

export async function startExporter(profile: Profile, stateDir: string, startedAt: number): Promise<Exporter> {
  const elapsed = () => (Date.now() - startedAt) / 1000;
  let lastPool = poolSizeIn(stateDir);
  const server: Server = createServer((request, response) => {
    if (request.url !== "/metrics") {
      response.writeHead(404).end();
      return;
    }
    const { load } = loadAt(profile, elapsed());
    try {
      lastPool = poolSizeIn(stateDir);
    } catch {
      // The provider is rewriting the file at this instant: keep the size read last.
    }
    const perWorker = lastPool > 0 ? load / lastPool : load;
    const body = [
      "# HELP loop_load Work arriving, in load units (the scripted profile).",
      "# TYPE loop_load gauge",
      `loop_load ${load}`,
      "# HELP loop_pool_workers Workers running, read from the pool's state in the cloud.",
      "# TYPE loop_pool_workers gauge",
      `loop_pool_workers ${lastPool}`,
      "# HELP loop_load_per_worker Load per running worker.",
      "# TYPE loop_load_per_worker gauge",
      `loop_load_per_worker ${perWorker}`,
      "",
    ].join("\n");
    response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    elapsed,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
