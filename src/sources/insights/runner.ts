// The Logs Insights poll loop (the SDK has no paginator for it): start a query per window, poll with
// backoff to a terminal status, split windows that return the row cap, retry what fails, stop
// everything on abort. Bounded concurrency; every byte of a window is scanned once unless a split or a
// retry forces a rescan, which is counted.

import {
  type CloudWatchLogsClient,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  StartQueryCommand,
  StopQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { AwsError, messageOf } from "../../errors.js";
import { isoTime } from "../../time.js";
import { sleep as defaultSleep, InterruptedError, withRetry } from "../retry.js";

import { type Query, ROW_LIMIT } from "./query.js";
import { type Row, rowOf } from "./rows.js";

/** A query window in epoch seconds, both ends inclusive (StartQuery's own semantics). */
export interface Window {
  start: number;
  end: number;
  /** 1 once the window has failed and is being retried smaller. */
  retry?: number;
}

export interface RunStats {
  queries: number;
  windowsDone: number;
  windowsTotal: number;
  rows: number;
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
  /** Bytes scanned again because a window hit the row cap or failed and was split. */
  bytesRescanned: number;
  splits: number;
  /** Queries stopped before they ended (interrupt or failure). */
  stopped: number;
}

export interface RunnerOptions {
  client: CloudWatchLogsClient;
  logGroup: string;
  query: Query;
  windows: Window[];
  concurrency: number;
  onRows: (rows: Row[], window: Window) => void;
  onProgress?: ((stats: RunStats) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** First poll delay and cap, ms (tests shorten them). */
  pollMs?: { first: number; max: number } | undefined;
  /** Backoff base for retried calls, ms. */
  backoffMs?: number | undefined;
  maxAttempts?: number;
  /** Row cap asked of StartQuery (its maximum, 10,000, unless a test sets less). */
  rowLimit?: number | undefined;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const TERMINAL = new Set(["Complete", "Failed", "Cancelled", "Timeout", "Unknown"]);

export function describeWindow(w: Window): string {
  return `${isoTime(w.start * 1000)} → ${isoTime(w.end * 1000 + 999)}`;
}

function halves(w: Window, retry?: number): Window[] {
  const mid = Math.floor((w.start + w.end) / 2);
  return [
    { start: w.start, end: mid, ...(retry ? { retry } : {}) },
    { start: mid + 1, end: w.end, ...(retry ? { retry } : {}) },
  ];
}

export async function runQueries(o: RunnerOptions): Promise<RunStats> {
  const sleep = o.sleep ?? defaultSleep;
  const poll = o.pollMs ?? { first: 500, max: 5000 };
  const backoff = o.backoffMs ?? 500;
  const maxAttempts = o.maxAttempts ?? 6;
  const rowLimit = o.rowLimit ?? ROW_LIMIT;
  const stats: RunStats = {
    queries: 0,
    windowsDone: 0,
    windowsTotal: o.windows.length,
    rows: 0,
    recordsMatched: 0,
    recordsScanned: 0,
    bytesScanned: 0,
    bytesRescanned: 0,
    splits: 0,
    stopped: 0,
  };
  const queue: Window[] = [...o.windows];
  let failure: unknown;
  // One signal for everything in flight: the caller's interrupt, or our own first failure.
  const inner = new AbortController();
  const onOuterAbort = () => inner.abort();
  o.signal?.addEventListener("abort", onOuterAbort, { once: true });
  if (o.signal?.aborted) inner.abort();
  const signal = inner.signal;

  const call = <T>(what: string, f: () => Promise<T>) =>
    withRetry(what, f, { signal, maxAttempts, backoffMs: backoff, sleep: o.sleep });

  async function runWindow(w: Window): Promise<void> {
    const started = await call("logs:StartQuery", () =>
      o.client.send(
        new StartQueryCommand({
          logGroupIdentifiers: [o.logGroup],
          startTime: w.start,
          endTime: w.end,
          queryString: o.query.text,
          limit: rowLimit,
        }),
        { abortSignal: signal },
      ),
    );
    const queryId = started.queryId;
    if (!queryId) throw new AwsError(`StartQuery returned no query ID for ${describeWindow(w)}`);
    stats.queries++;
    let result: GetQueryResultsCommandOutput | undefined;
    try {
      let delay = poll.first;
      for (;;) {
        await sleep(delay, signal);
        result = await call("logs:GetQueryResults", () =>
          o.client.send(new GetQueryResultsCommand({ queryId }), { abortSignal: signal }),
        );
        if (TERMINAL.has(result.status ?? "")) break;
        delay = Math.min(poll.max, Math.round(delay * 1.5));
      }
    } finally {
      // Interrupted or failed while it runs: stop it, or it keeps scanning (and billing).
      if (!result || !TERMINAL.has(result.status ?? "")) {
        stats.stopped++;
        await o.client.send(new StopQueryCommand({ queryId })).catch(() => undefined);
      }
    }
    const s = result.statistics;
    const bytes = s?.bytesScanned ?? 0;
    stats.bytesScanned += bytes;
    if (result.status !== "Complete") {
      // Failed/Timeout/…: retry once, in smaller windows; a second failure ends the run.
      if (w.retry || w.end <= w.start) {
        throw new AwsError(
          `Logs Insights query ${result.status} for ${describeWindow(w)} (query ${queryId}), also after retrying in smaller windows`,
          "retry later, or narrow the window with --start/--end or --window",
        );
      }
      stats.bytesRescanned += bytes;
      stats.splits++;
      stats.windowsTotal += 1;
      queue.push(...halves(w, 1));
      return;
    }
    const rows = result.results ?? [];
    if (rows.length >= rowLimit) {
      // Capped: the rows are incomplete. Never use them; split and scan the halves.
      if (w.end <= w.start) {
        throw new AwsError(
          `Logs Insights returned the ${rowLimit}-row cap for the one second ${describeWindow(w)}: the result would be incomplete`,
          "report this second from exported files instead (aws logs filter-log-events … | eks-access-audit report -i -)",
        );
      }
      stats.bytesRescanned += bytes;
      stats.splits++;
      stats.windowsTotal += 1;
      queue.push(...halves(w, w.retry));
      return;
    }
    stats.recordsMatched += s?.recordsMatched ?? 0;
    stats.recordsScanned += s?.recordsScanned ?? 0;
    stats.rows += rows.length;
    o.onRows(rows.map(rowOf), w);
    stats.windowsDone++;
    o.onProgress?.(stats);
  }

  let active = 0;
  async function worker(): Promise<void> {
    for (;;) {
      if (signal.aborted) return;
      const w = queue.shift();
      if (!w) {
        // Windows still running may split into the queue.
        if (active === 0) return;
        await sleep(20, signal).catch(() => undefined);
        continue;
      }
      active++;
      try {
        await runWindow(w);
      } catch (err) {
        if (!(err instanceof InterruptedError)) failure ??= err;
        inner.abort();
      } finally {
        active--;
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  } finally {
    o.signal?.removeEventListener("abort", onOuterAbort);
  }
  if (failure)
    throw failure instanceof AwsError
      ? failure
      : new AwsError(messageOf(failure), undefined, { cause: failure });
  if (signal.aborted) throw new InterruptedError("interrupted");
  return stats;
}
