// A local stand-in for CloudWatch Logs (JSON 1.1 protocol, `X-Amz-Target: Logs_20140328.*`) and the EKS
// REST API, driven by the real SDK clients. It runs our `requests` query's semantics over log messages it
// holds, and injects the faults real accounts throw: throttling, quota, 5xx, slow, Failed/Timeout, caps.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface LogMessage {
  /** The CloudWatch event timestamp (epoch ms): what StartQuery's window selects on. */
  timestamp: number;
  message: string;
  logStream?: string;
}

export type Fault = "throttle" | "limit" | "5xx" | undefined;

export interface FakeEntry {
  principalArn: string;
  type?: string;
  username?: string;
  kubernetesGroups?: string[];
  createdAt: string;
  policies?: { policyArn: string; accessScope: { type: string; namespaces?: string[] } }[];
}

export interface FakeOptions {
  messages: LogMessage[];
  cluster?: { name: string; auditLogging?: boolean; mode?: string; endpoint?: string; caData?: string };
  /** More clusters with the same log (for multi-cluster runs). */
  otherClusters?: string[];
  /** Access entries of the cluster (EKS REST API), listed `pageSize` per page. */
  entries?: FakeEntry[];
  pageSize?: number;
  /** Entries that vanish between ListAccessEntries and DescribeAccessEntry. */
  vanishing?: string[];
  /** Faults for successive EKS access-entry calls. */
  eksFaults?: Fault[];
  /** Actions answered with AccessDenied (e.g. "logs:GetQueryResults", "eks:ListAccessEntries"). */
  denied?: string[];
  /** Faults for successive StartQuery / GetQueryResults calls (consumed in order). */
  startFaults?: Fault[];
  resultFaults?: Fault[];
  /** Running answers before Complete, per query. */
  runningPolls?: number;
  /** Never finish (for interrupts). */
  hang?: boolean;
  /** Terminal status for a query: Failed/Timeout for the windows it picks. */
  statusFor?: (window: { start: number; end: number }, attempt: number) => "Failed" | "Timeout" | undefined;
}

interface QueryState {
  id: string;
  start: number;
  end: number;
  limit: number;
  polls: number;
  status?: string;
}

const STAGE = /"stage":"([A-Za-z]+)"/;
const GROUPS = /"groups":\[([^\]]*)\]/;
const CANONICAL = /"canonicalArn":\["([^"]*)"/;
const SESSION_ROLE = /^(arn:aws[a-z-]*:sts::\d{12}:assumed-role\/[^/]+\/)/;
const DECISION = /"authorization\.k8s\.io\/decision":"([a-z]*)"/;
const REASON = /"authorization\.k8s\.io\/reason":"((?:[^"\\]|\\.)*)"/;
const RECEIVED = /"requestReceivedTimestamp":"([^"]*)"/;

// biome-ignore lint/suspicious/noExplicitAny: parsed events are walked loosely here, as Logs Insights does
type Json = Record<string, any>;

/** The `requests` query, evaluated in JS over the window's messages. */
export function evaluateRequestsQuery(messages: LogMessage[], start: number, end: number) {
  const inWindow = messages.filter((m) => m.timestamp >= start * 1000 && m.timestamp <= end * 1000 + 999);
  const groups = new Map<
    string,
    {
      fields: [string, string | undefined][];
      count: number;
      first?: [number, string];
      last?: [number, string];
    }
  >();
  let matched = 0;
  for (const m of inWindow) {
    if (!(m.logStream ?? "kube-apiserver-audit-1").startsWith("kube-apiserver-audit")) continue;
    const stage = STAGE.exec(m.message)?.[1];
    if (stage !== "ResponseComplete" && stage !== "Panic") continue;
    matched++;
    let e: Json = {};
    try {
      e = JSON.parse(m.message);
    } catch {
      e = {};
    }
    const username: string | undefined = e.user?.username;
    const uri: string | undefined = e.requestURI;
    const fields: [string, string | undefined][] = [
      ["username", (username && SESSION_ROLE.exec(username)?.[1]) ?? username],
      ["user.uid", e.user?.uid],
      ["groups", GROUPS.exec(m.message)?.[1]],
      ["principal", CANONICAL.exec(m.message)?.[1] ?? e.user?.extra?.arn?.[0]],
      ["verb", e.verb],
      ["objectRef.apiGroup", e.objectRef?.apiGroup],
      ["target", e.objectRef?.resource ?? (uri !== undefined ? uri.split("?")[0] : undefined)],
      ["objectRef.subresource", e.objectRef?.subresource],
      ["objectRef.namespace", e.objectRef?.namespace],
      ["decision", DECISION.exec(m.message)?.[1]],
      ["reason", REASON.exec(m.message)?.[1]],
      ["userAgent", e.userAgent],
      ["truncated", m.message.includes("[Truncated...]") ? "1" : "0"],
    ];
    const key = JSON.stringify(fields);
    let g = groups.get(key);
    if (!g) {
      g = { fields, count: 0 };
      groups.set(key, g);
    }
    g.count++;
    const rr: string | undefined = RECEIVED.exec(m.message)?.[1];
    if (rr !== undefined) {
      if (!g.first || m.timestamp < g.first[0]) g.first = [m.timestamp, rr];
      if (!g.last || m.timestamp >= g.last[0]) g.last = [m.timestamp, rr];
    }
  }
  const rows = [...groups.values()].map((g) => [
    ...g.fields
      .filter(([, v]) => v !== undefined && v !== "")
      .map(([field, value]) => ({ field, value: value! })),
    { field: "requests", value: String(g.count) },
    ...(g.first ? [{ field: "first_request", value: g.first[1] }] : []),
    ...(g.last ? [{ field: "last_request", value: g.last[1] }] : []),
  ]);
  const bytes = inWindow.reduce((n, m) => n + Buffer.byteLength(m.message), 0);
  return {
    rows,
    statistics: { recordsMatched: matched, recordsScanned: inWindow.length, bytesScanned: bytes },
  };
}

export class FakeAws {
  private server: Server;
  url = "";
  readonly calls: { target: string; body: Json; accessKey?: string | undefined }[] = [];
  readonly queries = new Map<string, QueryState>();
  readonly stopped = new Set<string>();
  private attempts = new Map<string, number>();
  private n = 0;

  constructor(private readonly o: FakeOptions) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private json(res: ServerResponse, status: number, body: unknown, errorType?: string) {
    res.writeHead(status, {
      "content-type": "application/json",
      ...(errorType ? { "x-amzn-errortype": errorType } : {}),
    });
    res.end(JSON.stringify(body));
  }

  /** The EKS REST API: DescribeCluster, ListAccessEntries, DescribeAccessEntry, ListAssociatedAccessPolicies. */
  private eks(url: string, res: ServerResponse, accessKey?: string) {
    const u = new URL(url, "http://x");
    const parts = u.pathname.split("/").slice(2).map(decodeURIComponent);
    const [name, sub, principalArn, leaf] = parts;
    const c = this.o.cluster ?? { name: "demo" };
    const action = !sub
      ? "DescribeCluster"
      : !principalArn
        ? "ListAccessEntries"
        : !leaf
          ? "DescribeAccessEntry"
          : "ListAssociatedAccessPolicies";
    this.calls.push({
      target: `eks:${action}`,
      body: { name, principalArn, nextToken: u.searchParams.get("nextToken") },
      accessKey,
    });
    if (this.o.denied?.includes(`eks:${action}`)) {
      this.json(
        res,
        403,
        { message: `User is not authorized to perform: eks:${action}` },
        "AccessDeniedException",
      );
      return;
    }
    if (name !== c.name && !this.o.otherClusters?.includes(name!)) {
      this.json(res, 404, { message: `No cluster found for name: ${name}.` }, "ResourceNotFoundException");
      return;
    }
    if (action === "DescribeCluster") {
      this.json(res, 200, {
        cluster: {
          name,
          arn: `arn:aws:eks:us-east-1:111122223333:cluster/${name}`,
          version: "1.31",
          status: "ACTIVE",
          ...(c.endpoint ? { endpoint: c.endpoint } : {}),
          ...(c.caData ? { certificateAuthority: { data: c.caData } } : {}),
          logging: {
            clusterLogging: [
              { types: ["audit"], enabled: c.auditLogging ?? true },
              ...(c.auditLogging === false ? [{ types: ["api"], enabled: true }] : []),
            ],
          },
          accessConfig: { authenticationMode: c.mode ?? "API_AND_CONFIG_MAP" },
        },
      });
      return;
    }
    const fault = this.o.eksFaults?.shift();
    if (fault === "throttle") {
      this.json(res, 429, { message: "Rate exceeded" }, "ThrottlingException");
      return;
    }
    if (fault === "5xx") {
      this.json(res, 500, { message: "Internal error" }, "ServerException");
      return;
    }
    const entries = this.o.entries ?? [];
    if (action === "ListAccessEntries") {
      const size = this.o.pageSize ?? 100;
      const start = Number(u.searchParams.get("nextToken") ?? "0");
      const page = entries.slice(start, start + size).map((e) => e.principalArn);
      const next = start + size < entries.length ? String(start + size) : undefined;
      this.json(res, 200, { accessEntries: page, ...(next ? { nextToken: next } : {}) });
      return;
    }
    const e = entries.find((x) => x.principalArn === principalArn);
    if (!e || this.o.vanishing?.includes(principalArn!)) {
      this.json(
        res,
        404,
        { message: `The specified access entry resource is not found: ${principalArn}` },
        "ResourceNotFoundException",
      );
      return;
    }
    const seconds = Date.parse(e.createdAt) / 1000;
    if (action === "DescribeAccessEntry") {
      this.json(res, 200, {
        accessEntry: {
          clusterName: name,
          principalArn: e.principalArn,
          kubernetesGroups: e.kubernetesGroups ?? [],
          accessEntryArn: `arn:aws:eks:us-east-1:111122223333:access-entry/${name}/x`,
          createdAt: seconds,
          modifiedAt: seconds,
          tags: {},
          username: e.username ?? e.principalArn,
          type: e.type ?? "STANDARD",
        },
      });
      return;
    }
    this.json(res, 200, {
      clusterName: name,
      principalArn: e.principalArn,
      associatedAccessPolicies: (e.policies ?? []).map((p) => ({
        ...p,
        associatedAt: seconds,
        modifiedAt: seconds,
      })),
    });
  }

  /** Path-style S3: PUT and GET /bucket/key. */
  readonly objects = new Map<string, { body: string; contentType: string | undefined }>();
  failPutsFor?: RegExp;

  private s3(req: IncomingMessage, body: Buffer, res: ServerResponse) {
    const key = decodeURIComponent(new URL(req.url!, "http://x").pathname.slice(1));
    this.calls.push({ target: `s3:${req.method === "PUT" ? "PutObject" : "GetObject"}`, body: { key } });
    if (req.method === "PUT") {
      if (this.failPutsFor?.test(key)) {
        res.writeHead(403, { "content-type": "application/xml" });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`,
        );
        return;
      }
      let text = body.toString("utf8");
      // aws-chunked uploads: <hex size>[;ext]\r\n<data>\r\n … 0\r\n<trailers>
      if (String(req.headers["content-encoding"] ?? "").includes("aws-chunked")) {
        let rest = body;
        const parts: Buffer[] = [];
        for (;;) {
          const nl = rest.indexOf("\r\n");
          const size = Number.parseInt(rest.subarray(0, nl).toString().split(";")[0]!, 16);
          if (!size) break;
          parts.push(rest.subarray(nl + 2, nl + 2 + size));
          rest = rest.subarray(nl + 2 + size + 2);
        }
        text = Buffer.concat(parts).toString("utf8");
      }
      this.objects.set(key, { body: text, contentType: req.headers["content-type"] });
      res.writeHead(200, { etag: '"1"' });
      res.end();
      return;
    }
    const o = this.objects.get(key);
    if (!o) {
      res.writeHead(404, { "content-type": "application/xml" });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${key}</Key></Error>`,
      );
      return;
    }
    res.writeHead(200, { "content-type": o.contentType ?? "text/plain" });
    res.end(o.body);
  }

  count(target: string): number {
    return this.calls.filter((c) => c.target === target).length;
  }

  private send(res: ServerResponse, status: number, body: unknown, errorType?: string) {
    res.writeHead(status, {
      "content-type": "application/x-amz-json-1.1",
      ...(errorType ? { "x-amzn-errortype": errorType } : {}),
    });
    res.end(JSON.stringify(body));
  }

  private fault(res: ServerResponse, f: Fault): boolean {
    if (f === "throttle")
      this.send(res, 400, { __type: "ThrottlingException", message: "Rate exceeded" }, "ThrottlingException");
    else if (f === "limit")
      this.send(
        res,
        400,
        {
          __type: "LimitExceededException",
          message: "You have reached the maximum number of resources that can be created.",
        },
        "LimitExceededException",
      );
    else if (f === "5xx")
      this.send(
        res,
        503,
        { __type: "ServiceUnavailableException", message: "The service is unavailable." },
        "ServiceUnavailableException",
      );
    return f !== undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const target = String(req.headers["x-amz-target"] ?? "");
    // Which key signed the request (to tell assumed-role credentials from the caller's own).
    const accessKey = /Credential=([A-Z0-9]+)\//.exec(String(req.headers.authorization ?? ""))?.[1];
    const form = String(req.headers["content-type"] ?? "").includes("x-www-form-urlencoded")
      ? new URLSearchParams(raw)
      : undefined;
    if (form?.get("Action") === "AssumeRole") {
      this.calls.push({
        target: "sts:AssumeRole",
        body: { RoleArn: form.get("RoleArn"), RoleSessionName: form.get("RoleSessionName") },
        accessKey,
      });
      const expires = new Date(Date.now() + 3_600_000).toISOString();
      const arn = `${form.get("RoleArn")?.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/")}/eks-access-audit`;
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAFLEETROLE0000001</AccessKeyId><SecretAccessKey>fleet-secret</SecretAccessKey><SessionToken>fleet-token</SessionToken><Expiration>${expires}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAFLEET:eks-access-audit</AssumedRoleId><Arn>${arn}</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
      return;
    }
    if (form?.get("Action") === "GetCallerIdentity") {
      this.calls.push({ target: "sts:GetCallerIdentity", body: {} });
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/auditor</Arn><UserId>AIDAAUDITOR</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
      return;
    }
    if (req.method === "GET" && req.url?.startsWith("/clusters/")) {
      this.eks(req.url, res, accessKey);
      return;
    }
    if ((req.method === "PUT" || req.method === "GET") && !target && req.url) {
      this.s3(req, Buffer.concat(chunks), res);
      return;
    }
    const body = raw ? (JSON.parse(raw) as Json) : {};
    const op = target.replace("Logs_20140328.", "");
    this.calls.push({ target: op, body, accessKey });
    if (this.o.denied?.includes(`logs:${op}`)) {
      this.send(
        res,
        400,
        {
          __type: "AccessDeniedException",
          message: `User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: logs:${op}`,
        },
        "AccessDeniedException",
      );
      return;
    }
    if (op === "StartQuery") {
      if (this.fault(res, this.o.startFaults?.shift())) return;
      const id = `q-${++this.n}`;
      const key = `${body.startTime}-${body.endTime}`;
      const attempt = (this.attempts.get(key) ?? 0) + 1;
      this.attempts.set(key, attempt);
      const status = this.o.statusFor?.({ start: body.startTime, end: body.endTime }, attempt);
      this.queries.set(id, {
        id,
        start: body.startTime,
        end: body.endTime,
        limit: body.limit ?? 10000,
        polls: 0,
        ...(status ? { status } : {}),
      });
      this.send(res, 200, { queryId: id });
    } else if (op === "GetQueryResults") {
      if (this.fault(res, this.o.resultFaults?.shift())) return;
      const q = this.queries.get(body.queryId);
      if (!q) {
        this.send(
          res,
          400,
          { __type: "ResourceNotFoundException", message: "query not found" },
          "ResourceNotFoundException",
        );
        return;
      }
      q.polls++;
      if (this.stopped.has(q.id)) {
        this.send(res, 200, { status: "Cancelled", results: [], statistics: {} });
        return;
      }
      if (this.o.hang || q.polls <= (this.o.runningPolls ?? 0)) {
        this.send(res, 200, {
          status: "Running",
          results: [],
          statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 },
        });
        return;
      }
      const { rows, statistics } = evaluateRequestsQuery(this.o.messages, q.start, q.end);
      if (q.status) {
        this.send(res, 200, { status: q.status, results: [], statistics });
        return;
      }
      this.send(res, 200, { status: "Complete", results: rows.slice(0, q.limit), statistics });
    } else if (op === "StopQuery") {
      this.stopped.add(body.queryId);
      this.send(res, 200, { success: true });
    } else {
      this.send(res, 400, { __type: "UnknownOperationException", message: op }, "UnknownOperationException");
    }
  }
}
