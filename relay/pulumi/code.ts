import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { RelayArgsError } from "./args";

/** The bundle as `lambda.mjs` (handler `lambda.handler`), with its licence notices beside it. */
export function relayCode(bundle: string): pulumi.asset.AssetArchive {
  if (!fs.existsSync(bundle)) {
    throw new RelayArgsError("lambdaBundle", `expected the relay's Lambda bundle (npm run build:relay makes dist/relay/lambda.mjs), got ${JSON.stringify(bundle)}, which does not exist`);
  }
  const assets: Record<string, pulumi.asset.Asset> = { "lambda.mjs": new pulumi.asset.FileAsset(bundle) };
  const legal = `${bundle}.LEGAL.txt`;
  if (fs.existsSync(legal)) assets["lambda.mjs.LEGAL.txt"] = new pulumi.asset.FileAsset(legal);
  return new pulumi.asset.AssetArchive(assets);
}
