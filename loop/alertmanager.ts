// Real Alertmanager on loopback, with a scaling route to the relay.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freePort, startService, waitUntilReady, type Service } from "./processes.ts";
import type { Profile } from "./profile.ts";

export const ALERTMANAGER = process.env["ALERTMANAGER_BIN"] ?? "/usr/bin/prometheus-alertmanager";

/** The route and receiver, as docs/events.md recommends for a scaling route. */
export function scalingRoute(profile: Profile, relayUrl: string, token: string): string {
  const { settings } = profile;
  return [
    "route:",
    "  receiver: pulumiscale",
    "  group_by: [alertname, stack]",
    `  group_wait: ${settings.groupWait}`,
    `  group_interval: ${settings.groupInterval}`,
    `  repeat_interval: ${settings.repeatInterval}`,
    "receivers:",
    "  - name: pulumiscale",
    "    webhook_configs:",
    `      - url: ${relayUrl}/alertmanager`,
    // Target tracking reads firing alerts only: a resolved one would start a run that changes nothing.
    "        send_resolved: false",
    "        max_alerts: 50",
    "        http_config:",
    "          authorization:",
    "            type: Bearer",
    `            credentials: ${token}`,
    "",
  ].join("\n");
}

export interface Alertmanager {
  readonly url: string;
  readonly service: Service;
}

export async function startAlertmanager(profile: Profile, workDir: string, relayUrl: string, token: string): Promise<Alertmanager> {
  const dir = path.join(workDir, "alertmanager");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "alertmanager.yml"), scalingRoute(profile, relayUrl, token));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = startService(
    "alertmanager",
    ALERTMANAGER,
    [
      `--config.file=${path.join(dir, "alertmanager.yml")}`,
      `--storage.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
      "--log.level=debug",
    ],
    { logFile: path.join(workDir, "alertmanager.log") },
  );
  await waitUntilReady(service, `${url}/-/ready`);
  return { url, service };
}
