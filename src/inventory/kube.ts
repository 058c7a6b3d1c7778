// Reads kube-system/aws-auth straight from the cluster's API endpoint, with no kubeconfig: a bearer
// token made from the same AWS credentials (what `aws eks get-token` prints), and the cluster CA from
// DescribeCluster to verify the server.

import { createHash, createHmac } from "node:crypto";
import { request } from "node:https";
import type { EKSClient } from "@aws-sdk/client-eks";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { messageOf } from "../errors.js";
import { awsAuthFrom } from "./aws-auth.js";
import type { AwsAuth } from "./model.js";

/** node:crypto behind the signer's hash interface (HMAC when given a secret). */
class Sha256 {
  private readonly h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret
      ? createHmac(
          "sha256",
          typeof secret === "string"
            ? secret
            : new Uint8Array(
                ArrayBuffer.isView(secret)
                  ? secret.buffer.slice(secret.byteOffset, secret.byteOffset + secret.byteLength)
                  : secret,
              ),
        )
      : createHash("sha256");
  }
  update(data: Uint8Array): void {
    this.h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

export const TOKEN_PREFIX = "k8s-aws-v1.";

function stsHost(region: string, partition: string): string {
  return partition === "aws-cn" ? `sts.${region}.amazonaws.com.cn` : `sts.${region}.amazonaws.com`;
}

/** The `aws eks get-token` bearer token: a presigned STS GetCallerIdentity URL naming the cluster. */
export async function eksToken(o: {
  cluster: string;
  region: string;
  partition?: string | undefined;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}): Promise<string> {
  const hostname = stsHost(o.region, o.partition ?? "aws");
  const signer = new SignatureV4({
    credentials: o.credentials,
    region: o.region,
    service: "sts",
    sha256: Sha256,
  });
  const signed = await signer.presign(
    {
      method: "GET",
      protocol: "https:",
      hostname,
      path: "/",
      query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      headers: { host: hostname, "x-k8s-aws-id": o.cluster },
    },
    { expiresIn: 60 },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");
  return `${TOKEN_PREFIX}${Buffer.from(`https://${hostname}/?${query}`).toString("base64url")}`;
}

export type AwsAuthRead = { awsAuth: AwsAuth } | { awsAuth: undefined; why: string };

/** GET /api/v1/namespaces/kube-system/configmaps/aws-auth. Never throws: says why it could not. */
export async function readAwsAuthLive(o: {
  endpoint: string;
  caData: string | undefined;
  token: string;
  timeoutMs?: number;
}): Promise<AwsAuthRead> {
  const url = new URL("/api/v1/namespaces/kube-system/configmaps/aws-auth", o.endpoint);
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: "GET",
        headers: { authorization: `Bearer ${o.token}`, accept: "application/json" },
        ...(o.caData ? { ca: Buffer.from(o.caData, "base64") } : {}),
        timeout: o.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status === 404) {
            resolve({ awsAuth: { mapRoles: [], mapUsers: [], mapAccounts: [] } });
          } else if (status === 401 || status === 403) {
            resolve({
              awsAuth: undefined,
              why: `the cluster refused this identity (HTTP ${status}): it needs get on kube-system/configmaps/aws-auth`,
            });
          } else if (status !== 200) {
            resolve({ awsAuth: undefined, why: `the cluster answered HTTP ${status}` });
          } else {
            try {
              resolve({
                awsAuth: awsAuthFrom(
                  JSON.parse(Buffer.concat(chunks).toString("utf8")),
                  "kube-system/aws-auth",
                ),
              });
            } catch (err) {
              resolve({ awsAuth: undefined, why: messageOf(err) });
            }
          }
        });
      },
    );
    req.on("timeout", () =>
      req.destroy(new Error(`no answer from ${url.host} in time (a private endpoint?)`)),
    );
    req.on("error", (err) => {
      const code = (err as NodeJS.ErrnoException).code ?? "";
      const why =
        /ENOTFOUND|ECONNREFUSED|EHOSTUNREACH|ETIMEDOUT|ECONNRESET/.test(code) || /in time/.test(err.message)
          ? `cannot reach ${url.host} (a private endpoint?): ${err.message}`
          : `cannot talk to ${url.host}: ${err.message}`;
      resolve({ awsAuth: undefined, why });
    });
    req.end();
  });
}

/** aws-auth, read with the EKS client's own credentials and region (the partition from the cluster ARN). */
export async function readAwsAuthFromCluster(
  eks: EKSClient,
  o: {
    cluster: string;
    clusterArn?: string | undefined;
    endpoint: string;
    caData: string | undefined;
    timeoutMs?: number | undefined;
  },
): Promise<AwsAuthRead> {
  const token = await eksToken({
    cluster: o.cluster,
    region: await eks.config.region(),
    partition: o.clusterArn?.split(":")[1],
    credentials: eks.config.credentials,
  });
  return readAwsAuthLive({
    endpoint: o.endpoint,
    caData: o.caData,
    token,
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
  });
}
