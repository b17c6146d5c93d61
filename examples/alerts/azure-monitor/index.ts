// An Azure Monitor action group whose webhook sends alerts in the common alert schema to the
// PulumiScale relay's /azure-monitor endpoint, and a metric alert that uses it. A plain webhook
// action cannot send headers: the relay's RELAY_AZURE_MONITOR_TOKEN goes in the URL as ?token=.
import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor/index.js";

const config = new pulumi.Config();
const relayUrl = config.require("relayUrl"); // e.g. https://relay.example.com
const relayToken = config.requireSecret("relayAzureMonitorToken");
const resourceGroupName = config.require("resourceGroupName");
const scaleSetId = config.require("scaleSetId"); // the VM scale set the alert watches

export const actionGroup = new monitor.ActionGroup("pulumiscale", {
  resourceGroupName,
  location: "Global",
  groupShortName: "pscale",
  enabled: true,
  webhookReceivers: [
    {
      name: "pulumiscale-relay",
      serviceUri: pulumi.interpolate`${relayUrl}/azure-monitor?token=${relayToken}`,
      // Required: the adapter reads the common alert schema only.
      useCommonAlertSchema: true,
    },
  ],
});

export const cpuHigh = new monitor.MetricAlert("workers-cpu-high", {
  resourceGroupName,
  location: "global",
  description: "Average CPU of the worker scale set above 75% for 5 minutes",
  severity: 3,
  enabled: true,
  scopes: [scaleSetId],
  evaluationFrequency: "PT1M",
  windowSize: "PT5M",
  criteria: {
    odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
    allOf: [
      {
        criterionType: "StaticThresholdCriterion",
        name: "cpu",
        metricName: "Percentage CPU",
        metricNamespace: "Microsoft.Compute/virtualMachineScaleSets",
        operator: "GreaterThan",
        threshold: 75,
        timeAggregation: "Average",
      },
    ],
  },
  autoMitigate: true, // sends "Resolved" when the condition clears
  actions: [
    {
      actionGroupId: actionGroup.id,
      // Custom properties reach the alert as annotations: the alert names its target and step itself.
      webHookProperties: { pulumiscale_target: "workers", pulumiscale_adjust: "+2" },
    },
  ],
});
