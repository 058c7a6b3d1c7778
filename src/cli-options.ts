// Every flag, declared once as data: the commander program and the README's option tables come from here.

import type { RecordFilter } from "./analyze.js";
import { UsageError } from "./errors.js";
import { VERDICT_NAMES, type Verdict } from "./model.js";
import { REPORT_FORMATS } from "./report/index.js";
import { parseDuration, parseTime } from "./time.js";

export type CommandName = "report" | "classify" | "queries" | "plan" | "inventory" | "doctor" | "export";

export interface CliOption {
  flags: string;
  description: string;
  commands: readonly CommandName[];
  /** Repeatable: values collect into a list. */
  repeatable?: boolean;
  defaultValue?: string | boolean;
  hidden?: boolean;
}

const BOTH: readonly CommandName[] = ["report", "classify", "plan"];
const LIVE: readonly CommandName[] = ["report", "classify", "queries", "plan", "inventory", "doctor"];

const TIME: readonly CommandName[] = ["report", "classify", "queries", "plan"];

export const CLI_OPTIONS: readonly CliOption[] = [
  {
    flags: "-i, --input <path>",
    description: "audit log file, directory (walked) or - for stdin; any container, gzip or not; repeatable",
    commands: [...BOTH, "export"],
    repeatable: true,
  },
  {
    flags: "-c, --cluster <name>",
    description:
      "read the cluster's audit log live through CloudWatch Logs Insights; report and export take several",
    commands: [...LIVE, "export"],
    repeatable: true,
  },
  {
    flags: "--region <region>",
    description: "AWS region of the cluster (default: the AWS config's)",
    commands: [...LIVE, "export"],
  },
  {
    flags: "--profile <name>",
    description: "AWS profile (SSO, assumed role, keys: the standard chain)",
    commands: [...LIVE, "export"],
  },
  {
    flags: "--log-group <name>",
    description: "log group to query (default /aws/eks/<cluster>/cluster)",
    commands: [...LIVE, "export"],
  },
  {
    flags: "--window <duration>",
    description: "longest time range per query, well inside the 60-minute query timeout",
    commands: [...LIVE, "export"],
    defaultValue: "1d",
  },
  {
    flags: "--concurrency <n>",
    description: "Logs Insights queries at once (the quota is shared account-wide)",
    commands: ["report", "plan", "export"],
    defaultValue: "4",
  },
  {
    flags: "--price-per-gb <usd>",
    description: "Logs Insights price per GB scanned, for the cost estimate",
    commands: ["report", "plan", "export"],
    defaultValue: "0.005",
  },
  {
    flags: "--inventory <file>",
    description: "inventory JSON (access entries, authentication mode, aws-auth)",
    commands: [...BOTH, "export"],
  },
  {
    flags: "--aws-auth <file>",
    description: "aws-auth ConfigMap as kubectl prints it (-o yaml or -o json)",
    commands: [...BOTH, "export"],
  },
  {
    flags: "--cluster-name <name>",
    description: "cluster name for the report and commands (default: inventory or log group)",
    commands: ["report", "plan", "export"],
  },
  {
    flags: "--since <duration>",
    description: "only requests in the last 30m / 12h / 7d / 2w (live default: 7d)",
    commands: TIME,
  },
  { flags: "--start <time>", description: "only requests at or after this ISO 8601 time", commands: TIME },
  { flags: "--end <time>", description: "only requests before this ISO 8601 time", commands: TIME },
  {
    flags: "--principal <text>",
    description: "only principals whose ARN (or username) contains this text",
    commands: BOTH,
  },
  {
    flags: "--agent <text>",
    description: "only requests whose user agent contains this text (e.g. kubectl)",
    commands: BOTH,
  },
  {
    flags: "-f, --format <format>",
    description: `report: ${REPORT_FORMATS.join("|")}; classify: table|jsonl`,
    commands: ["report", "classify"],
    defaultValue: "table",
  },
  {
    flags: "-o, --out <file>",
    description: "write to this file (atomically) instead of stdout",
    commands: ["report", "classify", "plan", "inventory"],
  },
  {
    flags: "--plan-format <format>",
    description: "plan: aws (shell commands), terraform (HCL) or eksctl (ClusterConfig YAML)",
    commands: ["plan"],
    defaultValue: "aws",
  },
  {
    flags: "--no-inventory",
    description: "with --cluster: do not read access entries and aws-auth from the cluster",
    commands: ["report", "plan", "export"],
  },
  {
    flags: "--only <verdicts>",
    description: "list only principals with these verdicts (comma-separated)",
    commands: ["report"],
  },
  {
    flags: "--fail-on <verdicts>",
    description: "exit 1 when any principal has one of these verdicts",
    commands: ["report", "export"],
  },
  {
    flags: "--strict",
    description: "exit 2 on any malformed or non-audit record instead of counting it",
    commands: [...BOTH, "export"],
  },
  {
    flags: "--readers <n>",
    description: "parallel readers for large uncompressed logs (default: CPU count)",
    commands: ["report", "plan", "export"],
  },
  {
    flags: "--row-limit <n>",
    description: "rows asked per Logs Insights query (tuning, tests)",
    commands: ["report"],
    hidden: true,
  },
  {
    flags: "--unit-bytes <n>",
    description: "bytes per parallel work unit (tuning, tests)",
    commands: ["report"],
    hidden: true,
  },
  {
    flags: "-v, --verbose",
    description: "progress lines on stderr even when it is not a terminal",
    commands: ["report"],
  },
  {
    flags: "--dest <dir|s3://bucket/prefix>",
    description: "export: where <cluster>/<YYYY>-W<ww>.csv and .md go",
    commands: ["export"],
  },
  {
    flags: "--week <YYYY-Www>",
    description: "export: the ISO week (Monday to Sunday, UTC; default the last complete week)",
    commands: ["export"],
  },
  {
    flags: "--config <fleet.yaml>",
    description: "export: the clusters of a fleet, each with region and profile or role",
    commands: ["export"],
  },
  {
    flags: "--log-format <format>",
    description: "export: one line per cluster on stderr, as text or json",
    commands: ["export"],
    defaultValue: "text",
  },
  {
    flags: "--debug",
    description: "print stack traces on errors",
    commands: ["report", "classify", "queries", "plan", "inventory", "doctor", "export"],
  },
];

/** Raw option values as commander hands them over. */
export interface RawOptions {
  input?: string[];
  awsAuth?: string;
  clusterName?: string;
  since?: string;
  start?: string;
  end?: string;
  principal?: string;
  agent?: string;
  format: string;
  out?: string;
  only?: string;
  failOn?: string;
  strict?: boolean;
  readers?: string;
  unitBytes?: string;
  rowLimit?: string;
  planFormat?: string;
  dest?: string;
  week?: string;
  config?: string;
  logFormat?: string;
  /** commander sets false for --no-inventory; a string for --inventory FILE. */
  inventory?: string | false;
  debug?: boolean;
  cluster?: string[];
  region?: string;
  profile?: string;
  logGroup?: string;
  window?: string;
  concurrency?: string;
  pricePerGb?: string;
  verbose?: boolean;
}

function timeArg(flag: string, text: string): number {
  const t = parseTime(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (t === undefined)
    throw new UsageError(`${flag} ${text}: not an ISO 8601 time`, "e.g. 2026-11-20T00:00:00Z");
  return t;
}

export function filterFrom(o: RawOptions, now: Date): RecordFilter {
  if (o.since && o.start) throw new UsageError("--since and --start both set a start: give one");
  const filter: RecordFilter = {};
  if (o.since) {
    const ms = parseDuration(o.since);
    if (ms === undefined) throw new UsageError(`--since ${o.since}: not a duration`, "e.g. 30m, 12h, 7d, 2w");
    filter.start = now.getTime() - ms;
  }
  if (o.start) filter.start = timeArg("--start", o.start);
  if (o.end) filter.end = timeArg("--end", o.end);
  if (filter.start !== undefined && filter.end !== undefined && filter.start >= filter.end) {
    throw new UsageError("the window is empty: --start must come before --end");
  }
  if (o.principal) filter.principal = o.principal;
  if (o.agent) filter.agent = o.agent;
  return filter;
}

export function verdictsArg(flag: string, text: string | undefined): Verdict[] | undefined {
  if (text === undefined) return undefined;
  const list = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const v of list) {
    if (!VERDICT_NAMES.includes(v as Verdict)) {
      throw new UsageError(`${flag}: unknown verdict ${v}`, `one of ${VERDICT_NAMES.join(", ")}`);
    }
  }
  return list as Verdict[];
}

export function positiveIntArg(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} ${text}: expected a positive whole number`);
  return n;
}

export function formatArg<F extends string>(text: string, allowed: readonly F[]): F {
  if (!allowed.includes(text as F))
    throw new UsageError(`--format ${text}: expected one of ${allowed.join(", ")}`);
  return text as F;
}

export function durationArg(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms < 60_000)
    throw new UsageError(`${flag} ${text}: not a duration of a minute or more`, "e.g. 6h, 1d");
  return ms;
}

export function priceArg(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`--price-per-gb ${text}: expected a non-negative number`);
  return n;
}

/** Live runs: a window defaults to the last 7 days. */
export function liveWindow(o: RawOptions, now: Date): { start: number; end: number } {
  const f = filterFrom(o, now);
  const end = f.end ?? now.getTime();
  return { start: f.start ?? end - 7 * 86_400_000, end };
}

/** The one cluster of a command that reads one; undefined when none was given. */
export function oneCluster(o: RawOptions, command: string): string | undefined {
  if ((o.cluster?.length ?? 0) > 1)
    throw new UsageError(`${command} reads one --cluster at a time`, "run it once per cluster");
  return o.cluster?.[0];
}
