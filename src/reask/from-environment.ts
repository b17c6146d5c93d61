import type { Policy } from "../policy/schema.js";
import { CloudWatchQuery } from "./cloudwatch-query.js";
import { reaskAlarms, type Reasked } from "./reask.js";

/**
 * The re-ask with the runner's AWS credentials, as aws-actions/configure-aws-credentials exports
 * them. Missing credentials or region are a warning like any failed read: the schedule run goes on.
 */
export function reaskWithRunnerCredentials(env: NodeJS.ProcessEnv, policyOutput: string): (policy: Policy) => Promise<Reasked> {
  return async (policy) => {
    const accessKeyId = env["AWS_ACCESS_KEY_ID"];
    const secretAccessKey = env["AWS_SECRET_ACCESS_KEY"];
    const region = env["AWS_REGION"] || env["AWS_DEFAULT_REGION"];
    if (!accessKeyId || !secretAccessKey || !region) {
      const missing = [!accessKeyId && "AWS_ACCESS_KEY_ID", !secretAccessKey && "AWS_SECRET_ACCESS_KEY", !region && "AWS_REGION"].filter(Boolean).join(", ");
      return { signals: [], warnings: [`reask-cloudwatch-alarms: no AWS credentials on the runner (${missing} unset): add aws-actions/configure-aws-credentials before this step`] };
    }
    const sessionToken = env["AWS_SESSION_TOKEN"];
    const states = new CloudWatchQuery({ credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } });
    return reaskAlarms(policy, states, region, policyOutput);
  };
}
