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

export interface FakeOptions {
  messages: LogMessage[];
  cluster?: { name: string; auditLogging?: boolean };
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
      ["annotations.authorization.k8s.io/decision", e.annotations?.["authorization.k8s.io/decision"]],
      ["annotations.authorization.k8s.io/reason", e.annotations?.["authorization.k8s.io/reason"]],
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
    const rr: string | undefined = e.requestReceivedTimestamp;
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
  readonly calls: { target: string; body: Json }[] = [];
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
    if (req.method === "GET" && req.url?.startsWith("/clusters/")) {
      const name = decodeURIComponent(req.url.slice("/clusters/".length).split(/[/?]/)[0]!);
      this.calls.push({ target: "eks:DescribeCluster", body: { name } });
      const c = this.o.cluster ?? { name: "demo" };
      if (name !== c.name) {
        res.writeHead(404, {
          "content-type": "application/json",
          "x-amzn-errortype": "ResourceNotFoundException",
        });
        res.end(JSON.stringify({ message: `No cluster found for name: ${name}.` }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          cluster: {
            name,
            arn: `arn:aws:eks:us-east-1:111122223333:cluster/${name}`,
            status: "ACTIVE",
            logging: {
              clusterLogging: [
                { types: ["audit"], enabled: c.auditLogging ?? true },
                ...(c.auditLogging === false ? [{ types: ["api"], enabled: true }] : []),
              ],
            },
            accessConfig: { authenticationMode: "API_AND_CONFIG_MAP" },
          },
        }),
      );
      return;
    }
    const body = raw ? (JSON.parse(raw) as Json) : {};
    const op = target.replace("Logs_20140328.", "");
    this.calls.push({ target: op, body });
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
