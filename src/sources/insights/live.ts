// The live source: check the cluster logs its audit, plan disjoint windows, run the `requests` query
// over them, and feed the rows to the same Analyzer the files feed.

import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeClusterCommand, type DescribeClusterCommandOutput, EKSClient } from "@aws-sdk/client-eks";
import type { Analyzer } from "../../analyze.js";
import { AwsError } from "../../errors.js";
import { describeAwsError } from "../aws-errors.js";
import { loadQuery, logGroupOf } from "./query.js";
import { rowToRecord } from "./rows.js";
import { type RunStats, runQueries, type Window } from "./runner.js";

/** Logs Insights list price per GB scanned in us-east-1 (USD). */
export const DEFAULT_PRICE_PER_GB = 0.005;
export const DEFAULT_WINDOW_MS = 24 * 3_600_000;
export const DEFAULT_CONCURRENCY = 4;

export interface AwsClients {
  logs: CloudWatchLogsClient;
  eks: EKSClient;
}

/** Clients from the standard chain (SSO, env, web identity, instance role); AWS_ENDPOINT_URL* honoured. */
export function defaultClients(region: string | undefined, profile: string | undefined): AwsClients {
  const config = { ...(region ? { region } : {}), ...(profile ? { profile } : {}) };
  return { logs: new CloudWatchLogsClient(config), eks: new EKSClient(config) };
}

/** How to read one cluster live, as a caller chooses it (the window comes from the report's filter). */
export interface LiveSource {
  cluster: string;
  region?: string | undefined;
  profile?: string | undefined;
  logGroup?: string | undefined;
  windowMs?: number | undefined;
  concurrency?: number | undefined;
  pricePerGb?: number | undefined;
  clients?: AwsClients | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((stats: RunStats) => void) | undefined;
  /** Test hooks: poll timing, retry backoff, the row cap asked, the cluster API for aws-auth. */
  pollMs?: { first: number; max: number } | undefined;
  backoffMs?: number | undefined;
  rowLimit?: number | undefined;
  kubeEndpoint?: string | undefined;
}

/** A LiveSource with its clients made and its window set. */
export interface LiveOptions extends LiveSource {
  clients: AwsClients;
  /** Epoch ms; start inclusive, end exclusive. */
  start: number;
  end: number;
  /** Times (epoch ms) at which windows must be cut: access entries' createdAt, so each row is wholly before or after. */
  cutAt?: readonly number[];
  /** DescribeCluster's logging, when a live inventory has just read it. */
  knownLogging?: readonly LogSetup[] | undefined;
}

/** The same source with its clients made once (the inventory and the queries share them). */
export function withClients(live: LiveSource): LiveSource & { clients: AwsClients } {
  return { ...live, clients: live.clients ?? defaultClients(live.region, live.profile) };
}

export interface LiveSummary {
  logGroup: string;
  window: { start: string; end: string };
  windows: number;
  queries: number;
  rows: number;
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
  bytesRescanned: number;
  pricePerGb: number;
  estimatedCostUsd: number;
  requests: number;
  truncated: number;
}

type LogSetup = { types?: string[] | undefined; enabled?: boolean | undefined };

/** Does DescribeCluster's logging say the audit log goes to CloudWatch? */
export function auditLoggingOn(logging: readonly LogSetup[] | undefined): boolean {
  return (logging ?? []).some((l) => l.enabled && (l.types ?? []).includes("audit"));
}

/**
 * The cluster exists and sends its audit log to CloudWatch. `known` is DescribeCluster's logging from a
 * live inventory read moments ago (saves the second call); otherwise DescribeCluster is asked.
 */
export async function checkAuditLogging(
  eks: EKSClient,
  cluster: string,
  signal?: AbortSignal,
  known?: readonly LogSetup[],
): Promise<void> {
  let logging: readonly LogSetup[] | undefined = known;
  if (!logging) {
    let described: DescribeClusterCommandOutput;
    try {
      described = await eks.send(new DescribeClusterCommand({ name: cluster }), { abortSignal: signal });
    } catch (err) {
      throw describeAwsError(err, "eks:DescribeCluster");
    }
    logging = described.cluster?.logging?.clusterLogging ?? [];
  }
  if (!auditLoggingOn(logging)) {
    const region = await eks.config.region().catch(() => undefined);
    throw new AwsError(
      `cluster ${cluster} does not send its audit log to CloudWatch Logs, so there is nothing to read`,
      `turn it on: aws eks update-cluster-config${region ? ` --region ${region}` : ""} --name ${cluster} --logging '{"clusterLogging":[{"types":["audit"],"enabled":true}]}' (requests are logged from then on)`,
    );
  }
}

/** Disjoint windows (epoch seconds, inclusive) covering [start, end), cut at `cutAt` and every `windowMs`. */
export function planWindows(
  start: number,
  end: number,
  windowMs: number,
  cutAt: readonly number[] = [],
): Window[] {
  const first = Math.floor(start / 1000);
  const last = Math.ceil(end / 1000) - 1;
  const cuts = new Set<number>();
  const step = Math.max(1, Math.round(windowMs / 1000));
  // A remainder under a minute joins the window before it rather than costing a query of its own.
  for (let s = first + step; s <= last - 60; s += step) cuts.add(s);
  for (const t of cutAt) {
    const s = Math.floor(t / 1000);
    if (s > first && s <= last) cuts.add(s);
  }
  const bounds = [first, ...[...cuts].sort((a, b) => a - b)];
  return bounds.map((s, i) => ({ start: s, end: i + 1 < bounds.length ? bounds[i + 1]! - 1 : last }));
}

export async function readLive(o: LiveOptions, analyzer: Analyzer): Promise<LiveSummary> {
  await checkAuditLogging(o.clients.eks, o.cluster, o.signal, o.knownLogging);
  const logGroup = o.logGroup ?? logGroupOf(o.cluster);
  const windows = planWindows(o.start, o.end, o.windowMs ?? DEFAULT_WINDOW_MS, o.cutAt);
  let requests = 0;
  let truncated = 0;
  const stats = await runQueries({
    client: o.clients.logs,
    logGroup,
    query: loadQuery("requests"),
    windows,
    concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
    signal: o.signal,
    onProgress: o.onProgress,
    pollMs: o.pollMs,
    backoffMs: o.backoffMs,
    rowLimit: o.rowLimit,
    onRows: (rows) => {
      for (const row of rows) {
        const r = rowToRecord(row);
        if (r.kind === "truncated") {
          truncated += r.count;
          for (let i = 0; i < r.count; i++) analyzer.truncated(r.principal, r.time);
        } else {
          requests += r.record.count;
          analyzer.record(r.record);
        }
      }
    },
  });
  const price = o.pricePerGb ?? DEFAULT_PRICE_PER_GB;
  return {
    logGroup,
    window: { start: new Date(windows[0]!.start * 1000).toISOString(), end: new Date(o.end).toISOString() },
    windows: stats.windowsTotal,
    queries: stats.queries,
    rows: stats.rows,
    recordsMatched: stats.recordsMatched,
    recordsScanned: stats.recordsScanned,
    bytesScanned: stats.bytesScanned,
    bytesRescanned: stats.bytesRescanned,
    pricePerGb: price,
    estimatedCostUsd: (stats.bytesScanned / 1e9) * price,
    requests,
    truncated,
  };
}
