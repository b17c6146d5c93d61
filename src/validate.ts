// `pulumiscale validate`: checks a scaling policy and replays saved events offline.
import { runValidate } from "./validate/cli.js";

const [command, ...rest] = process.argv.slice(2);
// `npx pulumiscale validate …` names the command; `node dist/validate.js …` may leave it out.
const args = command === "validate" ? rest : process.argv.slice(2);
process.exitCode = runValidate(args, { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) });
