import { sign, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { stringToSign, type SnsEnvelope } from "../../../src/relay/sns.js";
import type { TestCertificate } from "./certificate.js";

/** Signs an SNS message as SNS does (v1: SHA1withRSA, v2: SHA256withRSA). */
export function signSns(envelope: Omit<SnsEnvelope, "Signature">, key: KeyObject): SnsEnvelope {
  const algorithm = envelope.SignatureVersion === "2" ? "RSA-SHA256" : "RSA-SHA1";
  const unsigned = { ...envelope, Signature: "" } as SnsEnvelope;
  return { ...unsigned, Signature: sign(algorithm, Buffer.from(stringToSign(unsigned), "utf8"), key).toString("base64") };
}

/**
 * An https stand-in for SNS: serves the signing certificate and records SubscribeURL visits.
 * Its TLS certificate is the same test certificate, which the relay is told to trust.
 */
export class SnsStandIn {
  readonly certificateDownloads: string[] = [];
  readonly subscribeVisits: string[] = [];
  private server: Server | undefined;
  host = "";

  /** `servedPem` is the signing certificate it serves; by default its own TLS certificate. */
  constructor(
    private readonly certificate: TestCertificate,
    private readonly servedPem = certificate.certificatePem,
  ) {}

  async start(): Promise<string> {
    this.server = createServer({ key: this.certificate.privateKeyPem, cert: this.certificate.certificatePem }, (request, response) => {
      const url = new URL(request.url ?? "/", `https://${this.host}`);
      if (url.pathname.endsWith(".pem")) {
        this.certificateDownloads.push(url.pathname);
        response.writeHead(200, { "content-type": "application/x-pem-file" });
        response.end(this.servedPem);
        return;
      }
      if (url.searchParams.get("Action") === "ConfirmSubscription") {
        this.subscribeVisits.push(url.href);
        response.writeHead(200, { "content-type": "text/xml" });
        response.end("<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>arn</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>");
        return;
      }
      response.writeHead(404);
      response.end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.host;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
