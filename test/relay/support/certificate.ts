import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

/**
 * Makes a self-signed X.509 certificate with node:crypto alone (which can sign but not build
 * certificates): a minimal DER encoder for the few ASN.1 types a certificate needs. Used as the
 * SNS signing certificate and as the TLS certificate of the local stand-ins.
 */

function der(tag: number, content: Buffer): Buffer {
  const length = content.length;
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), content]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), content]);
}

const sequence = (...items: Buffer[]) => der(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => der(0x31, Buffer.concat(items));
const explicit = (index: number, content: Buffer) => der(0xa0 + index, content);
const nullValue = () => der(0x05, Buffer.alloc(0));
const utf8 = (text: string) => der(0x0c, Buffer.from(text, "utf8"));
const octets = (content: Buffer) => der(0x04, content);
const bits = (content: Buffer) => der(0x03, Buffer.concat([Buffer.from([0]), content]));
const boolean = (value: boolean) => der(0x01, Buffer.from([value ? 0xff : 0]));

function integer(value: Buffer): Buffer {
  // DER integers are signed: a leading 0 keeps a high first bit from reading as negative.
  return der(0x02, value[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), value]) : value);
}

function objectId(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) chunk.unshift(0x80 | (value & 0x7f));
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";
  return der(0x17, Buffer.from(text, "ascii"));
}

function toPem(label: string, body: Buffer): string {
  const lines = body.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

export interface TestCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly privateKey: KeyObject;
}

/** A self-signed RSA certificate for CN=<commonName>, valid for 127.0.0.1 and localhost. */
export function makeCertificate(commonName: string, validity = { from: new Date(Date.now() - 3600_000), to: new Date(Date.now() + 86_400_000) }): TestCertificate {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const sha256WithRsa = sequence(objectId("1.2.840.113549.1.1.11"), nullValue());
  const name = sequence(set(sequence(objectId("2.5.4.3"), utf8(commonName))));
  const subjectAltName = sequence(der(0x87, Buffer.from([127, 0, 0, 1])), der(0x82, Buffer.from("localhost", "ascii")));
  const extensions = sequence(
    sequence(objectId("2.5.29.19"), boolean(true), octets(sequence(boolean(true)))),
    sequence(objectId("2.5.29.17"), octets(subjectAltName)),
  );
  const toBeSigned = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(randomBytes(16)),
    sha256WithRsa,
    name,
    sequence(utcTime(validity.from), utcTime(validity.to)),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(3, extensions),
  );
  const signature = sign("sha256", toBeSigned, privateKey);
  const certificate = sequence(toBeSigned, sha256WithRsa, bits(signature));
  const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return { certificatePem: toPem("CERTIFICATE", certificate), privateKeyPem, privateKey: createPrivateKey(privateKeyPem) };
}
