// A Grafana contact point that sends alerts to the PulumiScale relay's /grafana endpoint, with a
// bearer token and Grafana's HMAC signature, and a notification policy that routes the alerts
// labelled for scaling to it.
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";

const config = new pulumi.Config();
const relayUrl = config.require("relayUrl"); // e.g. https://relay.example.com
const relayToken = config.requireSecret("relayGrafanaToken"); // the relay's RELAY_GRAFANA_TOKEN
const hmacSecret = config.requireSecret("relayGrafanaHmacSecret"); // the relay's RELAY_GRAFANA_HMAC_SECRET

export const contactPoint = new grafana.alerting.ContactPoint("pulumiscale", {
  name: "pulumiscale",
  webhooks: [
    {
      url: `${relayUrl}/grafana`,
      httpMethod: "POST",
      authorizationScheme: "Bearer",
      authorizationCredentials: relayToken,
      // Signs each body with HMAC-SHA256 in X-Grafana-Alerting-Signature. With timestampHeader,
      // Grafana signs "<timestamp>:<body>": set RELAY_GRAFANA_HMAC_TIMESTAMP_HEADER to the same name.
      hmacConfig: { secret: hmacSecret, header: "X-Grafana-Alerting-Signature", timestampHeader: "X-Grafana-Alerting-Timestamp" },
      // Keeps each body well under GitHub's 64 KB; the relay leaves out more if it must, and says so.
      maxAlerts: 50,
      disableResolveMessage: false,
    },
  ],
});

// Alerts with a pulumiscale_target label go to PulumiScale; everything else to the default receiver.
export const policy = new grafana.alerting.NotificationPolicy("pulumiscale", {
  contactPoint: config.get("defaultContactPoint") ?? "grafana-default-email",
  groupBies: ["alertname"],
  policies: [
    {
      contactPoint: contactPoint.name,
      matchers: [{ label: "pulumiscale_target", match: "=~", value: ".+" }],
      groupBies: ["alertname", "pulumiscale_target"],
      repeatInterval: "30m",
    },
  ],
});
