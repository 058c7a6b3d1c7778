// The commands behind the CLI: each turns flags into library options, calls the library, prints, and
// returns the exit code. Parsing and wiring stay in cli.ts.

import {
  durationArg,
  filterFrom,
  formatArg,
  liveWindow,
  oneCluster,
  positiveIntArg,
  priceArg,
  type RawOptions,
  verdictsArg,
} from "./cli-options.js";
import { runDoctor } from "./doctor.js";
import { EXIT, UsageError } from "./errors.js";
import { type ExportTarget, runExport, targetForFleetCluster } from "./export/export.js";
import { loadFleet } from "./export/fleet.js";
import { lastCompleteWeek, parseWeek } from "./export/week.js";
import {
  type ClassifiedRequest,
  PLAN_FORMATS,
  REPORT_FORMATS,
  type Report,
  type ReportOptions,
  renderPlan,
  runClassify,
  runInventory,
  runPlan,
  runReport,
} from "./index.js";
import { openAtomic, writeAtomic } from "./output.js";
import { renderReports } from "./report/index.js";
import { printable, safeJson } from "./report/sanitize.js";
import { defaultReaders } from "./sources/files/parallel.js";
import { DEFAULT_WINDOW_MS, defaultClients, planWindows } from "./sources/insights/live.js";
import { loadQuery, logGroupOf } from "./sources/insights/query.js";
import type { RunStats } from "./sources/insights/runner.js";
import { InterruptedError } from "./sources/retry.js";

async function emit(text: string, out: string | undefined): Promise<void> {
  if (out) await writeAtomic(out, text);
  else process.stdout.write(text);
}

function useColor(o: RawOptions): boolean {
  return !o.out && !!process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== "dumb";
}

/** SIGINT/SIGTERM abort the run (running queries are stopped), then the process exits 130/143. */
function interrupts(): { signal: AbortSignal; code: () => number | undefined; dispose: () => void } {
  const controller = new AbortController();
  let code: number | undefined;
  const on = (sig: NodeJS.Signals, exit: number) => {
    const handler = () => {
      if (code !== undefined) process.exit(exit);
      code = exit;
      process.stderr.write(`\neks-access-audit: ${sig}: stopping running queries…\n`);
      controller.abort();
    };
    process.on(sig, handler);
    return () => process.off(sig, handler);
  };
  const offs = [on("SIGINT", EXIT.interrupted), on("SIGTERM", 143)];
  return {
    signal: controller.signal,
    code: () => code,
    dispose: () => {
      for (const off of offs) off();
    },
  };
}

function progress(o: RawOptions): ((s: RunStats) => void) | undefined {
  const tty = !!process.stderr.isTTY;
  if (!tty && !o.verbose) return undefined;
  return (s) => {
    const line = `windows ${s.windowsDone}/${s.windowsTotal} · ${s.recordsMatched.toLocaleString("en-US")} records matched · ${(s.bytesScanned / 1e9).toFixed(2)} GB scanned`;
    process.stderr.write(tty ? `\r\u001b[2K${line}` : `${line}\n`);
  };
}

/** The report's options from the flags: one place for report and plan. */
function reportOptions(
  o: RawOptions,
  signal: AbortSignal,
  onProgress: ((s: RunStats) => void) | undefined,
  now: Date,
  cluster: string | undefined = oneCluster(o, "this command"),
): ReportOptions {
  if (cluster && o.input?.length) throw new UsageError("give --input or --cluster, not both");
  const live = cluster
    ? {
        cluster,
        region: o.region,
        profile: o.profile,
        logGroup: o.logGroup,
        windowMs: durationArg("--window", o.window),
        concurrency: positiveIntArg("--concurrency", o.concurrency),
        pricePerGb: priceArg(o.pricePerGb),
        rowLimit: positiveIntArg("--row-limit", o.rowLimit),
        signal,
        ...(onProgress ? { onProgress } : {}),
      }
    : undefined;
  return {
    live,
    inputs: o.input ?? [],
    inventory: o.inventory,
    awsAuth: o.awsAuth,
    // A name given for files (or one cluster); several live clusters keep their own names.
    clusterName: (o.cluster?.length ?? 0) > 1 ? undefined : o.clusterName,
    filter: filterFrom(o, now),
    only: verdictsArg("--only", o.only),
    strict: o.strict,
    readers: positiveIntArg("--readers", o.readers) ?? defaultReaders(),
    unitBytes: positiveIntArg("--unit-bytes", o.unitBytes),
    now,
  };
}

/** Runs `f` with interrupts wired to an AbortSignal; an interrupt becomes exit 130/143. */
async function interruptible<T>(
  o: RawOptions,
  f: (signal: AbortSignal, onProgress: ((s: RunStats) => void) | undefined) => Promise<T>,
): Promise<T | number> {
  const stop = interrupts();
  const onProgress = progress(o);
  try {
    return await f(stop.signal, onProgress);
  } catch (err) {
    if (err instanceof InterruptedError) return stop.code() ?? EXIT.interrupted;
    throw err;
  } finally {
    stop.dispose();
    if (onProgress && process.stderr.isTTY) process.stderr.write("\r\u001b[2K");
  }
}

export async function report(o: RawOptions): Promise<number> {
  const now = new Date();
  const format = formatArg(o.format, REPORT_FORMATS);
  const failOn = verdictsArg("--fail-on", o.failOn);
  // Several --cluster: one after another, so --concurrency stays the bound on Logs Insights queries.
  const clusters = o.cluster?.length ? o.cluster : [undefined];
  const reports = await interruptible(o, async (signal, onProgress) => {
    const out: Report[] = [];
    for (const cluster of clusters)
      out.push(await runReport(reportOptions(o, signal, onProgress, now, cluster)));
    return out;
  });
  if (typeof reports === "number") return reports;
  await emit(renderReports(reports, format, { color: useColor(o) }), o.out);
  for (const r of reports) {
    if (r.input.malformed + r.input.nonAudit > 0 && (o.out || format !== "table")) {
      process.stderr.write(
        `eks-access-audit: skipped ${r.input.malformed} malformed and ${r.input.nonAudit} non-audit record(s); first: ${printable(r.input.problems[0]?.where ?? "")}: ${printable(r.input.problems[0]?.why ?? "")}\n`,
      );
    }
  }
  return failOn?.some((v) => reports.some((r) => r.verdicts[v] > 0)) ? EXIT.failOnMatched : EXIT.ok;
}

export async function plan(o: RawOptions): Promise<number> {
  const now = new Date();
  const format = formatArg(o.planFormat ?? "aws", PLAN_FORMATS);
  const p = await interruptible(o, (signal, onProgress) =>
    runPlan({ ...reportOptions(o, signal, onProgress, now), region: o.region }),
  );
  if (typeof p === "number") return p;
  await emit(renderPlan(p, format), o.out);
  return EXIT.ok;
}

function liveClients(o: RawOptions) {
  return defaultClients(o.region, o.profile);
}

export async function inventory(o: RawOptions): Promise<number> {
  const cluster = oneCluster(o, "inventory");
  if (!cluster) throw new UsageError("inventory needs --cluster <name>");
  const r = await interruptible(o, (signal) =>
    runInventory({
      cluster,
      clients: liveClients(o),
      signal,
    }),
  );
  if (typeof r === "number") return r;
  for (const n of r.notes) process.stderr.write(`eks-access-audit: ${printable(n)}\n`);
  await emit(`${safeJson(r.inventory, 2)}\n`, o.out);
  return EXIT.ok;
}

export async function doctor(o: RawOptions): Promise<number> {
  const checks = await runDoctor({
    cluster: oneCluster(o, "doctor"),
    clients: liveClients(o),
    ...(o.region ? { region: o.region } : {}),
    ...(o.profile ? { profile: o.profile } : {}),
  });
  const mark = { ok: "ok     ", denied: "DENIED ", failed: "FAILED ", skipped: "skipped" } as const;
  for (const c of checks)
    process.stdout.write(`${mark[c.status]}  ${c.action.padEnd(38)} ${printable(c.detail)}\n`);
  return checks.some((c) => c.status === "denied" || c.status === "failed") ? EXIT.aws : EXIT.ok;
}

const CLASSIFY_COLUMNS: (keyof ClassifiedRequest)[] = [
  "time",
  "principal",
  "username",
  "verb",
  "resource",
  "namespace",
  "decision",
  "path",
  "route",
  "grant",
  "count",
];

export async function classify(o: RawOptions): Promise<number> {
  const format = formatArg(o.format, ["table", "jsonl"] as const);
  const now = new Date();
  const sink = o.out
    ? await openAtomic(o.out)
    : { write: (t: string) => process.stdout.write(t), commit: async () => {}, abort: async () => {} };
  try {
    if (format === "table") sink.write(`${CLASSIFY_COLUMNS.map((c) => c.toUpperCase()).join("\t")}\n`);
    const done = await interruptible(o, (signal) => {
      // Live, each row is a group of identical requests: the count column says how many.
      const options = reportOptions(o, signal, undefined, now);
      return runClassify({ ...options, readers: 1 }, (row) =>
        sink.write(
          format === "jsonl"
            ? `${safeJson(row)}\n`
            : `${CLASSIFY_COLUMNS.map((c) => printable(String(row[c] || "-")).replace(/\t/g, " ")).join("\t")}\n`,
        ),
      );
    });
    if (typeof done === "number") {
      await sink.abort();
      return done;
    }
    await sink.commit();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return EXIT.ok;
}

export async function queries(o: RawOptions): Promise<number> {
  const cluster = oneCluster(o, "queries");
  if (!cluster && !o.logGroup) throw new UsageError("queries needs --cluster <name> (or --log-group)");
  const { start, end } = liveWindow(o, new Date());
  const windowMs = durationArg("--window", o.window) ?? DEFAULT_WINDOW_MS;
  const logGroup = o.logGroup ?? logGroupOf(cluster!);
  const windows = planWindows(start, end, windowMs);
  const q = loadQuery("requests");
  const out = [
    `# Log group: ${logGroup}`,
    `# Window: ${new Date(start).toISOString()} → ${new Date(end).toISOString()} (${windows.length} quer${windows.length === 1 ? "y" : "ies"} of at most ${o.window ?? "1d"}; StartQuery takes epoch seconds, both ends inclusive)`,
    ...windows.map((w) => `#   --start-time ${w.start} --end-time ${w.end}`),
    `# ${q.name}.cwli:`,
    ...q.description.split("\n").map((l) => `#   ${l}`),
    "",
    q.text,
    "",
  ];
  process.stdout.write(out.join("\n"));
  return EXIT.ok;
}

export async function exportWeeks(o: RawOptions): Promise<number> {
  if (!o.dest) throw new UsageError("export needs --dest <dir | s3://bucket/prefix>");
  const sources = [
    o.config,
    o.cluster?.length ? "cluster" : undefined,
    o.input?.length ? "input" : undefined,
  ].filter(Boolean);
  if (sources.length !== 1)
    throw new UsageError(
      "export reads one source: --config <fleet.yaml>, --cluster <name>, or --input <files>",
    );
  const logFormat = formatArg(o.logFormat ?? "text", ["text", "json"] as const);
  const week = o.week ? parseWeek(o.week) : lastCompleteWeek(new Date());
  const failOn = verdictsArg("--fail-on", o.failOn);
  const stop = interrupts();
  const base = {
    windowMs: durationArg("--window", o.window),
    concurrency: positiveIntArg("--concurrency", o.concurrency),
    pricePerGb: priceArg(o.pricePerGb),
    signal: stop.signal,
  };
  const common = { inventory: o.inventory, awsAuth: o.awsAuth, strict: o.strict };
  let targets: ExportTarget[];
  let concurrency = 1;
  if (o.config) {
    const fleet = await loadFleet(o.config);
    concurrency = fleet.concurrency;
    targets = fleet.clusters.map((c) => ({
      ...targetForFleetCluster(c, base),
      ...common,
      clusterName: c.name,
    }));
  } else if (o.cluster?.length) {
    // A --cluster-name applies to one cluster only; several keep their own names.
    const clusterName = o.cluster.length === 1 ? o.clusterName : undefined;
    targets = o.cluster.map((cluster) => ({
      inputs: [],
      ...common,
      clusterName,
      live: { ...base, cluster, region: o.region, profile: o.profile, logGroup: o.logGroup },
    }));
  } else {
    targets = [
      {
        inputs: o.input ?? [],
        ...common,
        clusterName: o.clusterName,
        readers: positiveIntArg("--readers", o.readers) ?? defaultReaders(),
      },
    ];
  }
  const results = await runExport({
    dest: o.dest,
    week,
    targets,
    concurrency,
    onCluster: (r) => {
      const counts = r.verdicts
        ? Object.entries(r.verdicts)
            .filter(([, n]) => n > 0)
            .map(([v, n]) => `${n} ${v}`)
            .join(", ")
        : "";
      process.stderr.write(
        logFormat === "json"
          ? `${JSON.stringify({ time: new Date().toISOString(), level: r.ok ? "info" : "error", event: "export", cluster: r.cluster, week: r.week, ok: r.ok, ...(r.error ? { error: r.error } : {}), files: r.files, verdicts: r.verdicts })}\n`
          : r.ok
            ? `export ${printable(r.cluster)} ${r.week}: ${r.principals} principal(s)${counts ? ` (${counts})` : ""} → ${printable(r.files[0] ?? "")}\n`
            : `export ${printable(r.cluster)} ${r.week}: FAILED: ${printable(r.error ?? "")}\n`,
      );
    },
  }).finally(() => stop.dispose());
  if (stop.code() !== undefined) return stop.code()!;
  const failed = results.filter((r) => !r.ok);
  if (failed.length) {
    process.stderr.write(
      `eks-access-audit: export: ${failed.length} of ${results.length} cluster(s) failed: ${failed.map((f) => `${printable(f.cluster)} (${printable(f.error ?? "")})`).join("; ")}\n`,
    );
    return EXIT.aws;
  }
  return failOn && results.some((r) => failOn.some((v) => (r.verdicts?.[v] ?? 0) > 0))
    ? EXIT.failOnMatched
    : EXIT.ok;
}
