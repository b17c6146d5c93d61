// A Cloud Monitoring webhook notification channel to the PulumiScale relay's
// /google-cloud-monitoring endpoint (the token-authentication channel: the token is the URL's
// ?token=), and an alert policy that notifies it and names its target in its user labels.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";

const config = new pulumi.Config();
const relayUrl = config.require("relayUrl"); // e.g. https://relay.example.com
const relayToken = config.requireSecret("relayGoogleCloudMonitoringToken");

export const channel = new gcp.monitoring.NotificationChannel("pulumiscale", {
  displayName: "PulumiScale relay",
  type: "webhook_tokenauth",
  // The whole URL is a label; the channel keeps it, so treat the project's channels as secret.
  labels: { url: pulumi.interpolate`${relayUrl}/google-cloud-monitoring?token=${relayToken}` },
});

export const cpuHigh = new gcp.monitoring.AlertPolicy("workers-cpu-high", {
  displayName: "workers-cpu-high", // the alert's name in a policy rule's match.name
  combiner: "OR",
  conditions: [
    {
      displayName: "VM Instance - CPU utilization",
      conditionThreshold: {
        filter: 'metric.type="compute.googleapis.com/instance/cpu/utilization" AND resource.type="gce_instance"',
        comparison: "COMPARISON_GT",
        thresholdValue: 0.75,
        duration: "300s",
        aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MEAN" }],
      },
    },
  ],
  notificationChannels: [channel.name],
  // Label values allow lower-case letters, digits, _ and - only: the target fits, "+2" does not,
  // so the adjustment comes from a policy rule.
  userLabels: { pulumiscale_target: "workers" },
  alertStrategy: { autoClose: "1800s" },
});
