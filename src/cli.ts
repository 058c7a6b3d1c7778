// The command line: parse flags, call the library, print, set the exit code. Nothing else.

import { Command, Option } from "commander";
import {
  CLI_OPTIONS,
  type CommandName,
  durationArg,
  filterFrom,
  formatArg,
  liveWindow,
  positiveIntArg,
  priceArg,
  type RawOptions,
  verdictsArg,
} from "./cli-options.js";
import { AuditError, EXIT, messageOf, UsageError } from "./errors.js";
import {
  type ClassifiedRequest,
  REPORT_FORMATS,
  type Report,
  render,
  runClassify,
  runReport,
} from "./index.js";
import { openAtomic, writeAtomic } from "./output.js";
import { printable } from "./report/sanitize.js";
import { defaultReaders } from "./sources/files/parallel.js";
import { DEFAULT_WINDOW_MS, planWindows } from "./sources/insights/live.js";
import { loadQuery, logGroupOf } from "./sources/insights/query.js";
import { InterruptedError, type RunStats } from "./sources/insights/runner.js";
import { TOOL } from "./version.js";

// The SDK's notice about future Node versions would land in every scheduled job's stderr: one README line says it instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const collect = (value: string, previous: string[] = []) => [...previous, value];

function withOptions(cmd: Command, name: CommandName): Command {
  for (const o of CLI_OPTIONS.filter((opt) => opt.commands.includes(name))) {
    const option = new Option(o.flags, o.description);
    if (o.repeatable) option.argParser(collect);
    if (o.defaultValue !== undefined) option.default(o.defaultValue);
    if (o.hidden) option.hideHelp();
    cmd.addOption(option);
  }
  return cmd;
}

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

async function report(o: RawOptions): Promise<number> {
  const now = new Date();
  const format = formatArg(o.format, REPORT_FORMATS);
  const failOn = verdictsArg("--fail-on", o.failOn);
  if (o.cluster && o.input?.length) throw new UsageError("give --input or --cluster, not both");
  const stop = interrupts();
  const onProgress = progress(o);
  const live = o.cluster
    ? {
        cluster: o.cluster,
        region: o.region,
        profile: o.profile,
        logGroup: o.logGroup,
        windowMs: durationArg("--window", o.window),
        concurrency: positiveIntArg("--concurrency", o.concurrency),
        pricePerGb: priceArg(o.pricePerGb),
        rowLimit: positiveIntArg("--row-limit", o.rowLimit),
        signal: stop.signal,
        ...(onProgress ? { onProgress } : {}),
      }
    : undefined;
  let r: Report;
  try {
    r = await runReport({
      live,
      inputs: o.input ?? [],
      inventory: o.inventory,
      awsAuth: o.awsAuth,
      clusterName: o.clusterName,
      filter: filterFrom(o, now),
      only: verdictsArg("--only", o.only),
      strict: o.strict,
      readers: positiveIntArg("--readers", o.readers) ?? defaultReaders(),
      unitBytes: positiveIntArg("--unit-bytes", o.unitBytes),
      now,
    });
  } catch (err) {
    if (err instanceof InterruptedError) return stop.code() ?? EXIT.interrupted;
    throw err;
  } finally {
    stop.dispose();
    if (onProgress && process.stderr.isTTY) process.stderr.write("\r\u001b[2K");
  }
  await emit(render(r, format, { color: useColor(o) }), o.out);
  if (r.input.malformed + r.input.nonAudit > 0 && (o.out || format !== "table")) {
    process.stderr.write(
      `eks-access-audit: skipped ${r.input.malformed} malformed and ${r.input.nonAudit} non-audit record(s); first: ${printable(r.input.problems[0]?.where ?? "")}: ${printable(r.input.problems[0]?.why ?? "")}\n`,
    );
  }
  return failOn && failOn.some((v) => r.verdicts[v] > 0) ? EXIT.failOnMatched : EXIT.ok;
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
];

async function classify(o: RawOptions): Promise<number> {
  const format = formatArg(o.format, ["table", "jsonl"] as const);
  const sink = o.out
    ? await openAtomic(o.out)
    : { write: (t: string) => process.stdout.write(t), commit: async () => {}, abort: async () => {} };
  try {
    if (format === "table") sink.write(`${CLASSIFY_COLUMNS.map((c) => c.toUpperCase()).join("\t")}\n`);
    await runClassify(
      {
        inputs: o.input ?? [],
        inventory: o.inventory,
        awsAuth: o.awsAuth,
        filter: filterFrom(o, new Date()),
        strict: o.strict,
      },
      (row) =>
        sink.write(
          format === "jsonl"
            ? `${JSON.stringify(row)}\n`
            : `${CLASSIFY_COLUMNS.map((c) => printable(String(row[c] || "-")).replace(/\t/g, " ")).join("\t")}\n`,
        ),
    );
    await sink.commit();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return EXIT.ok;
}

async function queries(o: RawOptions): Promise<number> {
  if (!o.cluster && !o.logGroup) throw new UsageError("queries needs --cluster <name> (or --log-group)");
  const { start, end } = liveWindow(o, new Date());
  const windowMs = durationArg("--window", o.window) ?? DEFAULT_WINDOW_MS;
  const logGroup = o.logGroup ?? logGroupOf(o.cluster!);
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

function fail(err: unknown, debug: boolean): number {
  if (err instanceof AuditError) {
    process.stderr.write(`eks-access-audit: ${printable(err.message)}\n`);
    if (err.cause && debug) process.stderr.write(`Reason: ${printable(messageOf(err.cause))}\n`);
    if (err.hint) process.stderr.write(`Hint: ${err.hint}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const code = (err as NodeJS.ErrnoException)?.code;
  process.stderr.write(
    `eks-access-audit: ${code ? "I/O failure" : "unexpected error"}: ${printable(messageOf(err))}\n`,
  );
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write("Hint: rerun with --debug for details\n");
  return EXIT.aws;
}

function action(run: (o: RawOptions) => Promise<number>) {
  return async (o: RawOptions) => {
    try {
      process.exitCode = await run(o);
    } catch (err) {
      process.exitCode = fail(err, !!o.debug);
    }
  };
}

const program = new Command("eks-access-audit")
  .description(
    "Who still gets into an EKS cluster through aws-auth, and what it takes to move to access entries.",
  )
  .version(TOOL.version)
  .showHelpAfterError()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  .exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT.usage);
  });

withOptions(
  program.command("report").description("per-principal migration-readiness report"),
  "report",
).action(action(report));
withOptions(
  program
    .command("queries")
    .description("print the Logs Insights queries a live report runs, to paste into the console"),
  "queries",
).action(action(queries));
withOptions(
  program.command("classify").description("one line per request: which mechanism let it in"),
  "classify",
).action(action(classify));

await program.parseAsync(process.argv);
