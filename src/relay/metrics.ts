/**
 * The relay's Prometheus metrics, kept in memory and rendered in the text exposition format.
 * A handful of counters and one histogram do not justify a client library.
 */

type Labels = Readonly<Record<string, string>>;

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}="${escapeLabelValue(labels[name] ?? "")}"`)
    .join(",");
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labels: Labels): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, value] of this.values) lines.push(`${this.name}{${key}} ${value}`);
    return lines;
  }
}

/** A value read when the metrics are rendered. */
class Gauge {
  private read: () => number = () => 0;
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  track(read: () => number): void {
    this.read = read;
  }

  get(): number {
    return this.read();
  }

  render(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${this.read()}`];
  }
}

class Histogram {
  private readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    this.bounds.forEach((bound, index) => {
      if (value <= bound) entry.buckets[index] = (entry.buckets[index] ?? 0) + 1;
    });
    entry.sum += value;
    entry.count += 1;
  }

  count(labels: Labels): number {
    return this.series.get(labelKey(labels))?.count ?? 0;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [key, entry] of this.series) {
      const prefix = key ? `${key},` : "";
      this.bounds.forEach((bound, index) => {
        lines.push(`${this.name}_bucket{${prefix}le="${bound}"} ${entry.buckets[index]}`);
      });
      lines.push(`${this.name}_bucket{${prefix}le="+Inf"} ${entry.count}`);
      lines.push(`${this.name}_sum{${key}} ${entry.sum}`);
      lines.push(`${this.name}_count{${key}} ${entry.count}`);
    }
    return lines;
  }
}

export class RelayMetrics {
  readonly received = new Counter("pulumiscale_relay_requests_received_total", "Webhook requests received, by endpoint.");
  readonly forwarded = new Counter(
    "pulumiscale_relay_dispatches_forwarded_total",
    "Dispatches GitHub accepted, by endpoint.",
  );
  readonly rejected = new Counter(
    "pulumiscale_relay_requests_rejected_total",
    "Webhook requests not forwarded, by endpoint and reason.",
  );
  readonly clientErrors = new Counter(
    "pulumiscale_relay_client_errors_total",
    "Connections the client broke, by reason: aborted, reset, timeout, bad_request, headers_too_large, connection_limit.",
  );
  readonly inflightBodyBytes = new Gauge(
    "pulumiscale_relay_inflight_body_bytes",
    "Request body bytes the HTTP server holds right now (at most RELAY_MAX_INFLIGHT_BODY_BYTES).",
  );
  readonly githubLatency = new Histogram(
    "pulumiscale_relay_github_request_duration_seconds",
    "Duration of each request to the GitHub API (every attempt, token requests included), by outcome.",
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );

  // From when the condition began (by its source's clock) to the dispatch GitHub accepted. An
  // alert whose time lies after the dispatch (clock skew) is not observed: a duration is never negative.
  readonly alertToDispatch = new Histogram(
    "pulumiscale_relay_alert_to_dispatch_seconds",
    "From when the alert's condition began (its source's own time) to the dispatch GitHub accepted, by endpoint.",
    [1, 5, 10, 30, 60, 120, 300, 600, 1800],
  );

  render(): string {
    return [
      ...this.received.render(),
      ...this.forwarded.render(),
      ...this.rejected.render(),
      ...this.clientErrors.render(),
      ...this.inflightBodyBytes.render(),
      ...this.githubLatency.render(),
      ...this.alertToDispatch.render(),
    ]
      .join("\n")
      .concat("\n");
  }
}
