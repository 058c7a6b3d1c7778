// The library entry: returns data, never prints. The CLI and tests both call these.

import type { UsageState } from "./aggregate/aggregator.js";
import { Analyzer, type RecordFilter, type RequestListener } from "./analyze.js";
import { InputError } from "./errors.js";
import { InventoryIndex, loadAwsAuthFile, loadInventoryFile } from "./inventory/inventory.js";
import { fetchInventory, type LiveInventory } from "./inventory/live.js";
import type { Inventory } from "./inventory/model.js";
import type { Verdict } from "./model.js";
import { buildPlan, type MigrationPlan } from "./plan/plan.js";
import { buildReport } from "./readiness/build.js";
import type { InputSummary, Report } from "./report/model.js";
import { expandInputs } from "./sources/files/inputs.js";
import { analyzeInParallel, shouldParallelize } from "./sources/files/parallel.js";
import { emptyStats, type InputStats, readInput } from "./sources/files/reader.js";
import { type LiveSource, type LiveSummary, readLive, withClients } from "./sources/insights/live.js";

export type { LiveSource } from "./sources/insights/live.js";

import type { RunStats } from "./sources/insights/runner.js";
import { TOOL } from "./version.js";

export type { AuthPath, Route, Verdict } from "./model.js";
export type { MigrationPlan } from "./plan/plan.js";
export { PLAN_FORMATS, type PlanFormat, renderPlan } from "./plan/render.js";
export { REPORT_FORMATS, type ReportFormat, render } from "./report/index.js";
export type { InputSummary, PrincipalReport, Report } from "./report/model.js";

export interface SourceOptions {
  /** Files, directories (walked) and `-` for stdin. */
  inputs: string[];
  /** DESIGN.md's inventory JSON; `false` keeps a live run from reading the cluster's own. */
  inventory?: string | false | undefined;
  /** The aws-auth ConfigMap (`kubectl get cm aws-auth -n kube-system -o yaml|json`); overrides the inventory's. */
  awsAuth?: string | undefined;
  filter?: RecordFilter;
  /** Turn malformed and non-audit records into an error (exit 2). */
  strict?: boolean | undefined;
  /** Parallel readers for large uncompressed files; 1 keeps everything on one thread. */
  readers?: number | undefined;
  /** Bytes per parallel work unit. */
  unitBytes?: number | undefined;
}

export interface ReportOptions extends SourceOptions {
  live?: LiveSource | undefined;
  clusterName?: string | undefined;
  /** Keep only principals with these verdicts (counts still cover all). */
  only?: Verdict[] | undefined;
  now?: Date;
}

interface LoadedInventory {
  index: InventoryIndex;
  sources: { inventory: Report["cluster"]["inventory"]; awsAuth: Report["cluster"]["awsAuth"] };
  notes: string[];
}

/**
 * The inventory from a file, or (with a live cluster and no file, unless `inventory: false`) from the EKS
 * API and the cluster's API; `--aws-auth FILE` replaces whatever aws-auth that gave.
 */
export async function loadInventory(
  o: Pick<SourceOptions, "inventory" | "awsAuth"> & { live?: LiveSource | undefined },
): Promise<LoadedInventory> {
  const notes: string[] = [];
  let inventory: Inventory | undefined;
  let source: Report["cluster"]["inventory"] = "none";
  if (typeof o.inventory === "string") {
    inventory = await loadInventoryFile(o.inventory);
    source = "file";
  } else if (o.inventory !== false && o.live) {
    const live = await fetchInventory(withClients(o.live).clients.eks, o.live.cluster, {
      awsAuth: !o.awsAuth,
      ...(o.live.signal ? { signal: o.live.signal } : {}),
      ...(o.live.backoffMs !== undefined ? { backoffMs: o.live.backoffMs } : {}),
      ...(o.live.kubeEndpoint ? { kubeEndpoint: o.live.kubeEndpoint } : {}),
    });
    inventory = live.inventory;
    notes.push(...live.notes);
    source = "live";
  }
  let awsAuthSource: Report["cluster"]["awsAuth"] = inventory?.awsAuth
    ? source === "live"
      ? "live"
      : "inventory"
    : "none";
  if (o.awsAuth) {
    const awsAuth = await loadAwsAuthFile(o.awsAuth);
    inventory = { cluster: inventory?.cluster ?? {}, accessEntries: inventory?.accessEntries, awsAuth };
    awsAuthSource = "file";
  }
  return {
    index: new InventoryIndex(inventory),
    sources: { inventory: source, awsAuth: awsAuthSource },
    notes,
  };
}

interface Analysis {
  usage: UsageState;
  stats: InputStats;
  summary: InputSummary;
}

/** The input summary, whatever the source: its counts add up (see InputSummary). */
function summaryOf(sources: string[], stats: InputStats, analyzer: Analyzer): InputSummary {
  const c = analyzer.counts;
  return {
    sources,
    files: stats.files,
    formats: { ...stats.formats },
    bytes: stats.bytes,
    records: stats.records,
    events: stats.events,
    truncated: stats.truncated,
    malformed: stats.malformed,
    nonAudit: stats.nonAudit,
    requests: analyzer.usage.totals.requests,
    duplicateStages: c.duplicateStages,
    noDecision: c.noDecision,
    filteredOut: c.filteredOut,
    problems: stats.problems,
  };
}

async function analyzeLive(
  o: ReportOptions,
  live: LiveSource,
  index: InventoryIndex,
  inventoryIsLive: boolean,
  listener?: RequestListener,
): Promise<Analysis & { insights: LiveSummary }> {
  const filter = o.filter ?? {};
  const end = filter.end ?? Date.now();
  const start = filter.start ?? end - 7 * 86_400_000;
  // The query window is the time filter; rows carry request times a long request may put just before it.
  const analyzer = new Analyzer(index, { principal: filter.principal, agent: filter.agent }, listener);
  const cutAt = index
    .allEntries()
    .map((e) => e.createdAt)
    .filter((t): t is number => t !== undefined && t > start && t < end);
  const insights = await readLive(
    {
      ...withClients(live),
      start,
      end,
      cutAt,
      // A live inventory read DescribeCluster a moment ago: no need to ask again.
      ...(inventoryIsLive ? { knownLogging: index.source?.cluster.logging?.clusterLogging ?? [] } : {}),
    },
    analyzer,
  );
  analyzer.finish();
  // Logs Insights rows stand for requests: they are the records and the events.
  const stats = emptyStats();
  stats.records = insights.requests + insights.truncated;
  stats.events = insights.requests;
  stats.truncated = insights.truncated;
  return { usage: analyzer.usage, stats, summary: summaryOf([insights.logGroup], stats, analyzer), insights };
}

async function analyzeFiles(
  o: SourceOptions,
  index: InventoryIndex,
  listener?: RequestListener,
): Promise<Analysis> {
  if (o.inputs.length === 0) throw new InputError("no input given", "pass --input <file|dir|->");
  const files = await expandInputs(o.inputs);
  const filter = o.filter ?? {};
  let analyzer: Analyzer;
  let stats: InputStats;
  if (!listener && shouldParallelize(files, o.readers ?? 1, o.unitBytes)) {
    ({ analyzer, stats } = await analyzeInParallel(files, index, filter, o.readers ?? 1, o.unitBytes));
  } else {
    analyzer = new Analyzer(index, filter, listener);
    stats = emptyStats();
    for (const f of files) await readInput(f.path, stats, analyzer);
    analyzer.finish();
  }
  if (o.strict && stats.malformed + stats.nonAudit > 0) {
    const first = stats.problems[0];
    throw new InputError(
      `--strict: ${stats.malformed} malformed and ${stats.nonAudit} non-audit record(s)${first ? `, first at ${first.where}: ${first.why}` : ""}`,
      "fix the input or drop --strict to skip and count them",
    );
  }
  return { usage: analyzer.usage, stats, summary: summaryOf(o.inputs, stats, analyzer) };
}

/** The migration-readiness report for audit-log files. */
export async function runReport(options: ReportOptions): Promise<Report> {
  // Clients are made once, for the inventory and the queries alike.
  const o = options.live ? { ...options, live: withClients(options.live) } : options;
  const { index, sources, notes } = await loadInventory(o);
  const live = o.live;
  const analysis: Analysis & { insights?: LiveSummary } = live
    ? await analyzeLive(o, live, index, sources.inventory === "live")
    : await analyzeFiles(o, index);
  const { usage, stats, summary } = analysis;
  const report = buildReport({
    usage,
    index,
    input: summary,
    clusterName: o.clusterName ?? live?.cluster,
    logGroups: stats.logGroups,
    sources,
    window: {
      ...(o.filter?.start !== undefined ? { start: o.filter.start } : {}),
      ...(o.filter?.end !== undefined ? { end: o.filter.end } : {}),
    },
    filters: {
      ...(o.filter?.principal ? { principal: o.filter.principal } : {}),
      ...(o.filter?.agent ? { agent: o.filter.agent } : {}),
    },
    tool: TOOL,
    now: o.now ?? new Date(),
  });
  report.notes.push(...notes);
  if (analysis.insights) {
    report.insights = analysis.insights;
    if (!o.filter?.start) report.window.start = analysis.insights.window.start;
    if (!o.filter?.end) report.window.end = analysis.insights.window.end;
  }
  if (o.only?.length) report.principals = report.principals.filter((p) => o.only!.includes(p.readiness));
  return report;
}

/** One request as the `classify` command shows it. */
export interface ClassifiedRequest {
  time: string;
  principal: string;
  username: string;
  verb: string;
  resource: string;
  namespace: string;
  decision: string;
  path: string;
  /** aws-auth / access-entry-groups / … when the inventory can tell; empty for non-IAM callers. */
  route: string;
  /** The access policy, or the RBAC binding and subject, that allowed it; the reason text otherwise. */
  grant: string;
  userAgent: string;
  count: number;
}

/** Streams one row per counted request to `onRow`; returns the input summary. */
export async function runClassify(
  options: SourceOptions & { live?: LiveSource | undefined },
  onRow: (row: ClassifiedRequest) => void,
): Promise<InputSummary> {
  const o = options.live ? { ...options, live: withClients(options.live) } : options;
  const { index, sources } = await loadInventory(o);
  const listener: RequestListener = (r, c, route) => {
    const resource = r.resource
      ? `${r.apiGroup ? `${r.apiGroup}/` : ""}${r.resource}${r.subresource ? `/${r.subresource}` : ""}`
      : (r.nonResourcePath ?? "");
    let grant = c.reason;
    if (c.accessPolicy) grant = `${c.accessPolicy.policyArn} (${c.accessPolicy.scope})`;
    else if (c.grant)
      grant = `${c.grant.bindingKind} ${c.grant.binding} → ${c.grant.subjectKind} ${c.grant.subject}`;
    else if (c.path === "masters") grant = "system:masters";
    onRow({
      time: r.time !== undefined ? new Date(r.time).toISOString() : "",
      principal: c.identity.iam ? c.identity.principalArn : `(${c.identity.kind})`,
      username: r.username,
      verb: r.verb,
      resource,
      namespace: r.namespace,
      decision: r.decision ?? "",
      path: c.path,
      route: route ?? "",
      grant,
      userAgent: r.userAgent ?? "",
      count: r.count,
    });
  };
  const { summary } = o.live
    ? await analyzeLive(o, o.live, index, sources.inventory === "live", listener)
    : await analyzeFiles(o, index, listener);
  return summary;
}

/** The ordered migration steps, from the same sources as the report. */
export async function runPlan(o: ReportOptions & { region?: string | undefined }): Promise<MigrationPlan> {
  const report = await runReport({ ...o, only: undefined });
  const region = o.region ?? o.live?.region ?? report.cluster.arn?.split(":")[3];
  return buildPlan(report, region || undefined);
}

/** DESIGN.md's inventory JSON for a live cluster (the `inventory` command's snapshot). */
export async function runInventory(o: LiveSource & { awsAuth?: boolean }): Promise<LiveInventory> {
  return fetchInventory(withClients(o).clients.eks, o.cluster, {
    ...(o.awsAuth === false ? { awsAuth: false } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.backoffMs !== undefined ? { backoffMs: o.backoffMs } : {}),
    ...(o.kubeEndpoint ? { kubeEndpoint: o.kubeEndpoint } : {}),
  });
}
