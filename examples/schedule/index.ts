// Ticks PulumiScale's schedule windows from AWS instead of GitHub's cron, which GitHub delays
// under load and sometimes drops. A scheduled EventBridge rule sends the tick straight to GitHub's
// dispatch API through an API destination: no relay, no Lambda. Each tick is a
// repository_dispatch with `client_payload.source: "schedule"`, which the action runs exactly as
// a `schedule` event; a repeated or late tick is harmless (docs/operations.md, "Schedules
// without GitHub's cron").
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
/** owner/name of the repository whose workflow runs pulumiscale/action. */
const repository = config.require("repository");
/** A fine-grained token (or a GitHub App's) with Contents: write on that repository only. */
const githubToken = config.requireSecret("githubToken");
/** The stack the workflow scales, as its `stack` input names it. */
const stack = config.require("stack");
/**
 * When to tick, in EventBridge's cron syntax (UTC): a minute after each window of the policy
 * opens, e.g. 08:00 Berlin on weekdays is 07:00 UTC in winter. Ticks at every window boundary
 * are enough; more ticks change nothing.
 */
const schedule = config.get("schedule") ?? "cron(1 7 ? * MON-FRI *)";

// GitHub reads the token from the Authorization header; EventBridge keeps it in Secrets Manager.
const connection = new aws.cloudwatch.EventConnection("github", {
  authorizationType: "API_KEY",
  authParameters: {
    apiKey: { key: "Authorization", value: pulumi.interpolate`Bearer ${githubToken}` },
  },
});

const destination = new aws.cloudwatch.EventApiDestination("github-dispatches", {
  connectionArn: connection.arn,
  invocationEndpoint: `https://api.github.com/repos/${repository}/dispatches`,
  httpMethod: "POST",
  // A tick a minute is the most a schedule needs; this also bounds a misconfigured rule.
  invocationRateLimitPerSecond: 1,
});

const tick = new aws.cloudwatch.EventRule("pulumiscale-tick", {
  description: `PulumiScale schedule tick for ${stack}`,
  scheduleExpression: schedule,
});

// EventBridge needs a role to invoke an API destination.
const role = new aws.iam.Role("pulumiscale-tick", {
  assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "events.amazonaws.com" }),
});
new aws.iam.RolePolicy("pulumiscale-tick", {
  role: role.id,
  policy: pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "events:InvokeApiDestination", Resource: destination.arn }],
  }),
});

new aws.cloudwatch.EventTarget("github-dispatch", {
  rule: tick.name,
  arn: destination.arn,
  roleArn: role.arn,
  // The dispatch body; GitHub answers 204. The event_type must be one the workflow listens for.
  input: JSON.stringify({ event_type: "pulumiscale", client_payload: { source: "schedule", stack } }),
  // EventBridge retries a failed call (GitHub down, rate limited) for up to an hour.
  retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
  httpTarget: { headerParameters: { Accept: "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28" } },
});

export const tickRule = tick.name;
