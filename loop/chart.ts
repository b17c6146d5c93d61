// The loop's chart as a self-contained SVG: four panels on one time axis (load, pool size, alerts
// firing, workflow runs). Plain SVG text, so it renders on GitHub and diffs as text.

export interface ChartData {
  readonly title: string;
  /** Seconds since the start of the profile, for everything below. */
  readonly seconds: number;
  readonly load: readonly [number, number][];
  readonly loadPerWorker: readonly [number, number][];
  readonly pool: readonly [number, number][];
  readonly alerts: readonly { name: string; spans: readonly [number, number][] }[];
  readonly runs: readonly { start: number; end: number; kind: "scaled" | "unchanged" | "failed"; label: string }[];
  readonly superseded: readonly number[];
  readonly phases: readonly { name: string; start: number }[];
}

const WIDTH = 960;
const LEFT = 110;
const RIGHT = 20;
const PANEL = { load: 150, pool: 120, alerts: 56, runs: 56 };
const GAP = 26;
const COLORS = { load: "#1f77b4", perWorker: "#ff7f0e", pool: "#2ca02c", WorkersBusy: "#d62728", WorkersIdle: "#9467bd", scaled: "#2ca02c", unchanged: "#9e9e9e", failed: "#d62728" };

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const fixed = (value: number) => Number(value.toFixed(1));

export function renderChart(data: ChartData): string {
  const plotWidth = WIDTH - LEFT - RIGHT;
  const x = (seconds: number) => fixed(LEFT + (Math.min(Math.max(seconds, 0), data.seconds) / data.seconds) * plotWidth);
  const parts: string[] = [];
  let top = 40;
  parts.push(`<text x="${LEFT}" y="24" font-size="15" font-weight="bold">${escape(data.title)}</text>`);

  const panel = (label: string, height: number, draw: (y0: number) => void) => {
    parts.push(`<rect x="${LEFT}" y="${top}" width="${plotWidth}" height="${height}" fill="#fafafa" stroke="#ccc"/>`);
    parts.push(`<text x="${LEFT - 8}" y="${top + height / 2 + 4}" font-size="12" text-anchor="end">${escape(label)}</text>`);
    draw(top);
    top += height + GAP;
  };
  const line = (points: readonly [number, number][], y: (value: number) => number, color: string, step = false) => {
    if (points.length === 0) return;
    const path = points.map(([t, v], i) => {
      const px = x(t);
      const py = fixed(y(v));
      if (i === 0) return `M${px},${py}`;
      return step ? `H${px}V${py}` : `L${px},${py}`;
    });
    parts.push(`<path d="${path.join("")}" fill="none" stroke="${color}" stroke-width="1.8"/>`);
  };
  const axisLabels = (y0: number, height: number, max: number, unit = "") => {
    parts.push(`<text x="${LEFT - 6}" y="${y0 + 10}" font-size="10" fill="#666" text-anchor="end">${max}${unit}</text>`);
    parts.push(`<text x="${LEFT - 6}" y="${y0 + height}" font-size="10" fill="#666" text-anchor="end">0</text>`);
  };

  const loadMax = Math.max(10, ...data.load.map(([, v]) => v), ...data.loadPerWorker.map(([, v]) => v));
  panel("load", PANEL.load, (y0) => {
    const y = (v: number) => y0 + PANEL.load - (v / loadMax) * (PANEL.load - 6);
    axisLabels(y0, PANEL.load, Math.round(loadMax));
    line(data.load, y, COLORS.load);
    line(data.loadPerWorker, y, COLORS.perWorker);
    parts.push(`<text x="${WIDTH - RIGHT - 4}" y="${y0 + 14}" font-size="11" text-anchor="end"><tspan fill="${COLORS.load}">■ total</tspan> <tspan fill="${COLORS.perWorker}">■ per worker</tspan></text>`);
  });
  const poolMax = Math.max(2, ...data.pool.map(([, v]) => v)) + 1;
  panel("pool size", PANEL.pool, (y0) => {
    const y = (v: number) => y0 + PANEL.pool - (v / poolMax) * (PANEL.pool - 6);
    axisLabels(y0, PANEL.pool, poolMax);
    line(data.pool, y, COLORS.pool, true);
  });
  panel("alerts firing", PANEL.alerts, (y0) => {
    data.alerts.forEach((alert, row) => {
      const color = COLORS[alert.name as "WorkersBusy"] ?? "#555";
      const rowTop = y0 + 6 + row * 24;
      for (const [start, end] of alert.spans) {
        parts.push(`<rect x="${x(start)}" y="${rowTop}" width="${fixed(Math.max(1, x(end) - x(start)))}" height="18" fill="${color}" opacity="0.8"/>`);
      }
      parts.push(`<text x="${WIDTH - RIGHT - 4}" y="${rowTop + 13}" font-size="11" text-anchor="end" fill="${color}">${escape(alert.name)}</text>`);
    });
  });
  panel("scaling runs", PANEL.runs, (y0) => {
    for (const run of data.runs) {
      parts.push(`<rect x="${x(run.start)}" y="${y0 + 8}" width="${fixed(Math.max(1, x(run.end) - x(run.start)))}" height="22" fill="${COLORS[run.kind]}" opacity="0.85"><title>${escape(run.label)}</title></rect>`);
      if (run.kind === "scaled") parts.push(`<text x="${x(run.start) + 2}" y="${y0 + 44}" font-size="9">${escape(run.label)}</text>`);
    }
    for (const at of data.superseded) parts.push(`<text x="${x(at)}" y="${y0 + 24}" font-size="12" fill="#555" text-anchor="middle">×</text>`);
    parts.push(`<text x="${WIDTH - RIGHT - 4}" y="${y0 + PANEL.runs - 4}" font-size="10" text-anchor="end"><tspan fill="${COLORS.scaled}">■ scaled</tspan> <tspan fill="${COLORS.unchanged}">■ unchanged</tspan> × replaced while pending</text>`);
  });

  // Time axis and phase marks across all panels.
  const bottom = top - GAP;
  data.phases.forEach((phase, index) => {
    parts.push(`<line x1="${x(phase.start)}" y1="36" x2="${x(phase.start)}" y2="${bottom}" stroke="#bbb" stroke-dasharray="3,3"/>`);
    // Every other label one line lower, so short phases do not overwrite each other.
    parts.push(`<text x="${x(phase.start) + 3}" y="${index % 2 ? 64 : 52}" font-size="10" fill="#666">${escape(phase.name)}</text>`);
  });
  const tick = niceTick(data.seconds);
  for (let t = 0; t <= data.seconds; t += tick) {
    parts.push(`<text x="${x(t)}" y="${bottom + 16}" font-size="10" text-anchor="middle" fill="#666">${t}s</text>`);
  }
  const height = bottom + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}

function niceTick(seconds: number): number {
  for (const tick of [10, 15, 30, 60, 120, 300, 600]) if (seconds / tick <= 12) return tick;
  return 1200;
}
