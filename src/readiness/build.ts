// Assembles the Report: per-principal verdicts, never-seen mappings, the cluster verdict, the input summary.

import type { PrincipalUsage, UsageState } from "../aggregate/aggregator.js";
import { sortedSample } from "../aggregate/sample.js";
import { principalTypeOf } from "../classify/identity.js";
import { policyName } from "../classify/reason.js";
import type { InventoryIndex, MappingView } from "../inventory/inventory.js";
import {
  AUTH_PATH_NAMES,
  BLOCKING_VERDICTS,
  counters,
  ROUTE_NAMES,
  type Route,
  VERDICT_NAMES,
  type Verdict,
} from "../model.js";
import type { ClusterVerdict, InputSummary, OperationRow, PrincipalReport, Report } from "../report/model.js";
import { isoTime } from "../time.js";
import { assessMapping, assessPrincipal } from "./readiness.js";
import { awsCommands } from "./recommend.js";

export const MAX_OPERATIONS = 100;

export interface BuildInput {
  usage: UsageState;
  index: InventoryIndex;
  input: InputSummary;
  clusterName: string | undefined;
  logGroups: readonly string[];
  sources: { inventory: Report["cluster"]["inventory"]; awsAuth: Report["cluster"]["awsAuth"] };
  window: { start?: number; end?: number };
  filters: Report["filters"];
  tool: Report["tool"];
  now: Date;
}

const CLUSTER_LOG_GROUP = /^\/aws\/eks\/([^/]+)\/cluster$/;

export function clusterNameOf(
  explicit: string | undefined,
  index: InventoryIndex,
  logGroups: readonly string[],
): string {
  if (explicit) return explicit;
  if (index.clusterName) return index.clusterName;
  for (const g of logGroups) {
    const m = CLUSTER_LOG_GROUP.exec(g);
    if (m) return m[1]!;
  }
  return "unknown";
}

function operationRows(u: PrincipalUsage): OperationRow[] {
  return [...u.operations.values()]
    .sort((a, b) => b.count - a.count || keyOf(a.op).localeCompare(keyOf(b.op)))
    .slice(0, MAX_OPERATIONS)
    .map((o) => {
      const routes: Partial<Record<Route, number>> = {};
      for (const r of ROUTE_NAMES) if (o.routes[r] > 0) routes[r] = o.routes[r];
      return {
        verb: o.op.verb,
        apiGroup: o.op.apiGroup,
        resource: o.op.resource,
        namespace: o.op.namespace,
        ...(o.op.nonResourcePath !== undefined ? { nonResourcePath: o.op.nonResourcePath } : {}),
        count: o.count,
        routes,
        grants: [...o.grants].sort(),
      };
    });
}

function keyOf(op: {
  verb: string;
  apiGroup: string;
  resource: string;
  namespace: string;
  nonResourcePath?: string | undefined;
}) {
  return `${op.verb} ${op.apiGroup} ${op.resource} ${op.namespace} ${op.nonResourcePath ?? ""}`;
}

function policiesOf(u: PrincipalUsage): string[] {
  return Object.entries(u.accessPolicies)
    .map(([arn, scopes]) => `${policyName(arn)} (${[...scopes].sort().join(", ")})`)
    .sort();
}

function mappingOf(m: MappingView | undefined): PrincipalReport["mapping"] {
  if (!m) return undefined;
  return {
    source: m.source,
    arn: m.arn,
    ...(m.username !== undefined ? { username: m.username } : {}),
    groups: m.groups,
    problems: m.problems,
  };
}

function principalRow(u: PrincipalUsage, index: InventoryIndex, cluster: string): PrincipalReport {
  const a = assessPrincipal(u, index, cluster === "unknown" ? undefined : cluster);
  const mapping = index.matchingMapping(u.principalArn) ?? index.mappingFor(u.principalArn);
  const notes = [...a.notes];
  if (mapping && mapping !== index.matchingMapping(u.principalArn)) {
    notes.push(
      `aws-auth maps ${mapping.arn}, which never matches this principal (${mapping.problems.join(", ")})`,
    );
  }
  if (u.truncated > 0) notes.push(`${u.truncated} cut-off event(s): their authorization is unknown`);
  if (u.usernames.more) notes.push("more usernames than shown");
  if (u.userAgents.more) notes.push("more user agents than shown");
  for (const reason of sortedSample(u.otherReasons)) notes.push(`reason: ${reason}`);
  return {
    cluster,
    principalArn: u.principalArn,
    principalType: principalTypeOf(u.principalArn, u.node || !!mapping?.node),
    requests: u.requests,
    routes: { ...u.routes },
    paths: { ...u.paths },
    truncated: u.truncated,
    firstSeen: isoTime(u.firstSeen),
    lastSeen: isoTime(u.lastSeen),
    accessPolicies: policiesOf(u),
    usernames: sortedSample(u.usernames),
    userAgents: sortedSample(u.userAgents),
    accessEntry: a.accessEntry,
    ...(mapping ? { mapping: mappingOf(mapping) } : {}),
    readiness: a.verdict,
    why: a.why,
    recommendation: a.plan.recommendation,
    commands: a.plan.entry ? awsCommands(a.plan.entry) : [],
    ...(a.plan.entry ? { entryPlan: a.plan.entry } : {}),
    notes,
    operations: operationRows(u),
  };
}

function mappingRow(m: MappingView, index: InventoryIndex, cluster: string): PrincipalReport {
  const a = assessMapping(m);
  const entry = m.source === "mapAccounts" ? undefined : index.entry(m.arn);
  return {
    cluster,
    principalArn: m.arn,
    principalType: m.source === "mapAccounts" ? "account" : principalTypeOf(m.arn, m.node),
    requests: 0,
    routes: counters(ROUTE_NAMES),
    paths: counters(AUTH_PATH_NAMES),
    truncated: 0,
    firstSeen: "",
    lastSeen: "",
    accessPolicies: [],
    usernames: m.username ? [m.username] : [],
    userAgents: [],
    accessEntry:
      m.source === "mapAccounts" ? "no" : index.accessEntriesKnown ? (entry ? "yes" : "no") : "unknown",
    mapping: mappingOf(m),
    readiness: a.verdict,
    why: a.why,
    recommendation: a.recommendation,
    commands: [],
    notes: [],
    operations: [],
  };
}

const VERDICT_ORDER = new Map(VERDICT_NAMES.map((v, i) => [v, i]));

export function comparePrincipals(a: PrincipalReport, b: PrincipalReport): number {
  return (
    VERDICT_ORDER.get(a.readiness)! - VERDICT_ORDER.get(b.readiness)! ||
    b.requests - a.requests ||
    a.principalArn.localeCompare(b.principalArn)
  );
}

function clusterVerdict(
  principals: PrincipalReport[],
  index: InventoryIndex,
  verdicts: Record<Verdict, number>,
): ClusterVerdict {
  if (index.mode === "API") {
    return {
      status: "ready",
      summary: "the cluster already uses authentication mode API: aws-auth is ignored",
      reasons: [],
    };
  }
  const reasons: string[] = [];
  for (const v of BLOCKING_VERDICTS) {
    const who = principals.filter((p) => p.readiness === v);
    if (who.length) {
      const names = who.slice(0, 3).map((p) => p.principalArn);
      reasons.push(`${who.length} ${v}: ${names.join(", ")}${who.length > 3 ? ", …" : ""}`);
    }
  }
  if (reasons.length) {
    return { status: "not-ready", summary: "not safe to switch to authentication mode API yet", reasons };
  }
  if (verdicts.undetermined > 0 || !index.accessEntriesKnown) {
    const why = !index.accessEntriesKnown
      ? "without the inventory (access entries), RBAC access cannot be traced to aws-auth or an access entry"
      : `${verdicts.undetermined} principal(s) undetermined`;
    return { status: "unknown", summary: "cannot tell yet whether switching to API is safe", reasons: [why] };
  }
  return {
    status: "ready",
    summary: "safe to switch to authentication mode API: nothing in the window depends on aws-auth",
    reasons: [],
  };
}

export function buildReport(b: BuildInput): Report {
  const { usage, index } = b;
  const cluster = clusterNameOf(b.clusterName, index, b.logGroups);
  const rows: PrincipalReport[] = [];
  const matched = new Set<MappingView>();
  for (const u of usage.principals.values()) {
    rows.push(principalRow(u, index, cluster));
    const m = index.matchingMapping(u.principalArn);
    if (m && u.requests > 0) matched.add(m);
  }
  for (const m of index.mappingViews) if (!matched.has(m)) rows.push(mappingRow(m, index, cluster));
  rows.sort(comparePrincipals);
  const verdicts = counters(VERDICT_NAMES);
  for (const r of rows) verdicts[r.readiness]++;

  const notes: string[] = [];
  if (!index.accessEntriesKnown) {
    notes.push(
      "no inventory: access entries are unknown, so RBAC and node access stay unresolved (give --inventory)",
    );
  }
  if (!index.awsAuthKnown)
    notes.push("no aws-auth ConfigMap: dormant and broken mappings cannot be listed (give --aws-auth)");
  if (usage.totals.truncated > 0) {
    notes.push(
      `${usage.totals.truncated} event(s) were cut off by CloudWatch Logs: left out of the request counts`,
    );
  }
  const t = usage.totals;
  return {
    tool: b.tool,
    generatedAt: b.now.toISOString(),
    cluster: {
      name: cluster,
      ...(index.source?.cluster.arn ? { arn: index.source.cluster.arn } : {}),
      ...(index.mode ? { authenticationMode: index.mode } : {}),
      inventory: b.sources.inventory,
      awsAuth: b.sources.awsAuth,
    },
    window: {
      ...(b.window.start !== undefined ? { start: isoTime(b.window.start) } : {}),
      ...(b.window.end !== undefined ? { end: isoTime(b.window.end) } : {}),
      ...(t.firstSeen !== undefined ? { firstRequest: isoTime(t.firstSeen) } : {}),
      ...(t.lastSeen !== undefined ? { lastRequest: isoTime(t.lastSeen) } : {}),
    },
    filters: b.filters,
    input: b.input,
    requests: {
      total: t.requests,
      iam: t.iamRequests,
      byPath: { ...t.paths },
      nonIam: { ...t.nonIam },
      truncatedUnattributed: t.truncatedUnattributed,
    },
    verdicts,
    clusterVerdict: clusterVerdict(rows, index, verdicts),
    principals: rows,
    notes,
  };
}
