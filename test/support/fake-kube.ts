// An HTTPS Kubernetes API server (test CA in test/fixtures/tls) that serves kube-system/aws-auth only to
// a bearer token in the form `aws eks get-token` makes.

import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";

const tls = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
export const TEST_CA_DATA = tls("ca.crt").toString("base64");

export interface TokenCheck {
  ok: boolean;
  why?: string;
  url?: URL;
}

/** What aws-iam-authenticator checks before it calls STS: prefix, URL, action, signed cluster header, expiry. */
export function checkToken(header: string | undefined): TokenCheck {
  const m = /^Bearer k8s-aws-v1\.([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!m) return { ok: false, why: "not a k8s-aws-v1 bearer token" };
  const url = new URL(Buffer.from(m[1]!, "base64url").toString("utf8"));
  const q = url.searchParams;
  if (url.protocol !== "https:" || !/^sts\.[a-z0-9-]+\.amazonaws\.com$/.test(url.hostname))
    return { ok: false, why: `unexpected host ${url.host}` };
  if (q.get("Action") !== "GetCallerIdentity") return { ok: false, why: "not GetCallerIdentity" };
  if (!(q.get("X-Amz-SignedHeaders") ?? "").split(";").includes("x-k8s-aws-id"))
    return { ok: false, why: "x-k8s-aws-id not signed" };
  if (Number(q.get("X-Amz-Expires")) > 900 || !q.get("X-Amz-Signature"))
    return { ok: false, why: "bad expiry or no signature" };
  if (!/^AKIDTEST\/\d{8}\/[a-z0-9-]+\/sts\/aws4_request$/.test(q.get("X-Amz-Credential") ?? ""))
    return { ok: false, why: "unexpected credential scope" };
  return { ok: true, url };
}

export class FakeKube {
  private server: Server;
  url = "";
  readonly tokens: TokenCheck[] = [];

  constructor(o: { configMap?: unknown; status?: number }) {
    this.server = createServer({ key: tls("server.key"), cert: tls("server.crt") }, (req, res) => {
      const check = checkToken(req.headers.authorization);
      this.tokens.push(check);
      if (!check.ok) {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ kind: "Status", status: "Failure", message: "Unauthorized", code: 401 }));
        return;
      }
      if (req.url !== "/api/v1/namespaces/kube-system/configmaps/aws-auth") {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(o.status ?? 200, { "content-type": "application/json" });
      res.end(JSON.stringify(o.configMap ?? {}));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
