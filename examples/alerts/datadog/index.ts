// A Datadog webhook that calls GitHub's dispatch API directly with PulumiScale's payload
// template, the GitHub token as a secret custom variable, and a monitor that notifies it.
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import * as datadog from "@pulumi/datadog";

const config = new pulumi.Config();
const repository = config.require("repository"); // owner/name of the repository with the scaling workflow
// A fine-grained token with Contents: write on that repository.
const githubToken = config.requireSecret("githubToken");

// $ALERT_TRANSITION, $ALERT_ID, $ALERT_CYCLE_KEY, $ALERT_TITLE, $ALERT_METRIC, $TAGS,
// $ALERT_SCOPE and $ID, nested under client_payload.datadog (see payload-template.json).
const template = readFileSync(new URL("./payload-template.json", import.meta.url), "utf8");

export const token = new datadog.WebhookCustomVariable("pulumiscale-github-token", {
  name: "PULUMISCALE_GITHUB_TOKEN",
  value: githubToken,
  isSecret: true,
});

export const webhook = new datadog.Webhook(
  "pulumiscale",
  {
    name: "pulumiscale",
    url: `https://api.github.com/repos/${repository}/dispatches`,
    encodeAs: "json",
    payload: template,
    customHeaders: JSON.stringify({
      Authorization: "Bearer $PULUMISCALE_GITHUB_TOKEN",
      Accept: "application/vnd.github+json",
      "X-GitHub-Api-Version": "2022-11-28",
    }),
  },
  { dependsOn: [token] },
);

export const loadHigh = new datadog.Monitor("workers-load-high", {
  name: "Worker load is high", // the alert's name in a policy rule's match.name
  type: "metric alert",
  query: "avg(last_5m):avg:system.load.1{service:workers} > 4",
  // @webhook-pulumiscale sends every transition; the policy decides what each one does.
  message: "Worker load is high. @webhook-pulumiscale",
  monitorThresholds: { critical: "4", warning: "3" },
  notifyNoData: true,
  noDataTimeframe: 10,
  tags: ["service:workers", "pulumiscale_target:workers"],
});
