// Real Prometheus on loopback: scrapes the exporter, evaluates the scaling rules, sends alerts to
// Alertmanager. The rules carry the metric in the `value` annotation for target tracking.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freePort, startService, waitUntilReady, type Service } from "./processes.ts";
import type { Profile } from "./profile.ts";

export const PROMETHEUS = process.env["PROMETHEUS_BIN"] ?? "/usr/bin/prometheus";

/** The alerting rules, as a user would write them for a scaling route. */
export function scalingRules(profile: Profile): string {
  const { settings } = profile;
  const rule = (name: string, expr: string, forDuration: string, summary: string) => [
    `      - alert: ${name}`,
    `        expr: ${expr}`,
    `        for: ${forDuration}`,
    "        labels:",
    "          stack: dev",
    "        annotations:",
    `          summary: "${summary}"`,
    '          value: "{{ $value }}"',
  ];
  return [
    "groups:",
    "  - name: pulumiscale-workers",
    "    rules:",
    ...rule("WorkersBusy", `loop_load_per_worker > ${profile.scaleOutAbove}`, settings.scaleOutFor, `load per worker {{ $value }} above ${profile.scaleOutAbove}`),
    ...rule("WorkersIdle", `loop_load_per_worker < ${profile.scaleInBelow}`, settings.scaleInFor, `load per worker {{ $value }} below ${profile.scaleInBelow}`),
    "",
  ].join("\n");
}

export interface Prometheus {
  readonly url: string;
  readonly service: Service;
  /** An instant query's vector result. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** A range query's matrix result. */
  queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<{ metric: Record<string, string>; values: [number, string][] }[]>;
  /** The alerts Prometheus holds now (pending and firing). */
  alerts(): Promise<{ labels: Record<string, string>; state: string; activeAt: string; value: string }[]>;
}

export async function startPrometheus(profile: Profile, workDir: string, exporterUrl: string, alertmanagerUrl: string): Promise<Prometheus> {
  const dir = path.join(workDir, "prometheus");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "rules.yml"), scalingRules(profile));
  writeFileSync(
    path.join(dir, "prometheus.yml"),
    [
      "global:",
      `  scrape_interval: ${profile.settings.scrapeInterval}`,
      `  evaluation_interval: ${profile.settings.evaluationInterval}`,
      "rule_files: [rules.yml]",
      "alerting:",
      "  alertmanagers:",
      `    - static_configs: [{ targets: ["${new URL(alertmanagerUrl).host}"] }]`,
      "scrape_configs:",
      "  - job_name: load",
      `    static_configs: [{ targets: ["${new URL(exporterUrl).host}"] }]`,
      "",
    ].join("\n"),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = startService(
    "prometheus",
    PROMETHEUS,
    [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--rules.alert.resend-delay=${profile.settings.resendDelay}`,
    ],
    { logFile: path.join(workDir, "prometheus.log") },
  );
  await waitUntilReady(service, `${url}/-/ready`);
  const api = async <T>(pathAndQuery: string): Promise<T> => {
    const answer = await fetch(`${url}${pathAndQuery}`);
    const body = (await answer.json()) as { status: string; data: T; error?: string };
    if (body.status !== "success") throw new Error(`Prometheus ${pathAndQuery}: ${body.error}`);
    return body.data;
  };
  return {
    url,
    service,
    query: async (expr) => (await api<{ result: never }>(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result,
    queryRange: async (expr, start, end, step) =>
      (await api<{ result: never }>(`/api/v1/query_range?query=${encodeURIComponent(expr)}&start=${start}&end=${end}&step=${step}`)).result,
    alerts: async () => (await api<{ alerts: never }>("/api/v1/alerts")).alerts,
  };
}
