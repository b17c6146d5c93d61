// `npm run loop` / `bash scripts/loop.sh [reference|short] [chart.svg]`: runs the closed loop with a
// profile, prints the timeline, the latency table and the last line, and writes the chart.
import { writeFileSync } from "node:fs";
import { checkConsistency } from "./consistency.ts";
import { profiles } from "./profile.ts";
import { chartOf, summarize } from "./report.ts";
import { runLoop } from "./run.ts";

const name = process.argv[2] ?? "reference";
const profile = profiles[name];
if (!profile) {
  console.error(`loop: no profile "${name}"; choose one of ${Object.keys(profiles).join(", ")}`);
  process.exit(2);
}
const chartFile = process.argv[3] ?? "docs/loop.svg";

const loop = await runLoop(profile);
const consistency = checkConsistency(loop.fleet);
const summary = summarize(loop, consistency);
writeFileSync(chartFile, chartOf(loop));
console.log(summary.text);
console.log(`\nChart: ${chartFile}`);
console.log(summary.lastLine);
const healthy = loop.converged && summary.flaps === 0 && summary.lost === 0 && consistency.previewNoChanges;
process.exit(healthy ? 0 : 1);
