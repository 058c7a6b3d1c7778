// Per-principal counters. Memory is bounded by principals × distinct operations, never by events.
// State is plain data (Maps of plain objects) so parallel readers can send it over structured clone.

import type { Classification } from "../classify/classify.js";
import type { InventoryIndex } from "../inventory/inventory.js";
import {
  AUTH_PATH_NAMES,
  type AuditRecord,
  type AuthPath,
  counters,
  NON_IAM_KIND_NAMES,
  type NonIamKind,
  ROUTE_NAMES,
  type Route,
} from "../model.js";
import type { Operation } from "../policies/access-policies.js";
import { addToSample, emptySample, mergeSample, type Sample } from "./sample.js";

export interface OperationUsage {
  op: Operation;
  count: number;
  routes: Record<Route, number>;
  /** RBAC subjects (`Group:x`, `User:y`) that allowed it, and `node`/`masters` for those paths. */
  grants: string[];
  lastSeen: number | undefined;
}

export interface PrincipalUsage {
  principalArn: string;
  node: boolean;
  requests: number;
  routes: Record<Route, number>;
  paths: Record<AuthPath, number>;
  truncated: number;
  firstSeen: number | undefined;
  lastSeen: number | undefined;
  /** Path and time of the latest allowed request: the no-inventory verdict reads it. */
  lastAllowedPath: AuthPath | undefined;
  lastAllowedTime: number | undefined;
  /** Access policies seen allowing it: policy ARN → scopes (`cluster` or namespace names). */
  accessPolicies: Record<string, string[]>;
  /** The access entry's principal ARN as entered, read from access-policy reasons. */
  entryPrincipalArn: string | undefined;
  usernames: Sample;
  userAgents: Sample;
  otherReasons: Sample;
  operations: Map<string, OperationUsage>;
  /** Denied requests after its access entry existed. */
  deniedWithEntry: number;
  /** `masters` requests at a time the inventory says an access entry already existed. */
  mastersWithEntry: number;
}

export interface UsageTotals {
  requests: number;
  iamRequests: number;
  paths: Record<AuthPath, number>;
  nonIam: Record<NonIamKind, number>;
  truncated: number;
  truncatedUnattributed: number;
  firstSeen: number | undefined;
  lastSeen: number | undefined;
}

export interface UsageState {
  /** Keyed by the lower-cased ARN: principals join case-insensitively. */
  principals: Map<string, PrincipalUsage>;
  totals: UsageTotals;
}

// Per-request lookups by the ARN exactly as logged, before lower-casing (a cache, not state).
const exact = new WeakMap<UsageState, Map<string, PrincipalUsage>>();

export function emptyUsage(): UsageState {
  return {
    principals: new Map(),
    totals: {
      requests: 0,
      iamRequests: 0,
      paths: counters(AUTH_PATH_NAMES),
      nonIam: counters(NON_IAM_KIND_NAMES),
      truncated: 0,
      truncatedUnattributed: 0,
      firstSeen: undefined,
      lastSeen: undefined,
    },
  };
}

const min = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);
const max = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

const PATH_RANK = new Map(AUTH_PATH_NAMES.map((p, i) => [p, i]));

/** Does (t, path) come after the latest allowed request so far? Ties break on the path, so any order agrees. */
function laterAllowed(
  t: number,
  path: AuthPath,
  prevT: number | undefined,
  prevPath: AuthPath | undefined,
): boolean {
  if (prevT === undefined || t > prevT) return true;
  return t === prevT && PATH_RANK.get(path)! > PATH_RANK.get(prevPath!)!;
}

function newPrincipal(principalArn: string): PrincipalUsage {
  return {
    principalArn,
    node: false,
    requests: 0,
    routes: counters(ROUTE_NAMES),
    paths: counters(AUTH_PATH_NAMES),
    truncated: 0,
    firstSeen: undefined,
    lastSeen: undefined,
    lastAllowedPath: undefined,
    lastAllowedTime: undefined,
    accessPolicies: {},
    entryPrincipalArn: undefined,
    usernames: emptySample(),
    userAgents: emptySample(),
    otherReasons: emptySample(),
    operations: new Map(),
    deniedWithEntry: 0,
    mastersWithEntry: 0,
  };
}

/** Principals join case-insensitively on the canonical ARN. */
function principalOf(state: UsageState, arn: string): PrincipalUsage {
  let byArn = exact.get(state);
  if (!byArn) {
    byArn = new Map();
    exact.set(state, byArn);
  }
  const hit = byArn.get(arn);
  if (hit) return hit;
  const key = arn.toLowerCase();
  let p = state.principals.get(key);
  if (!p) {
    p = newPrincipal(arn);
    state.principals.set(key, p);
  }
  // The same principal in another case: keep the smallest spelling, whatever the order (parallel readers).
  if (arn < p.principalArn) p.principalArn = arn;
  byArn.set(arn, p);
  return p;
}

export function operationOf(r: AuditRecord): Operation {
  return {
    verb: r.verb,
    apiGroup: r.apiGroup,
    resource: r.subresource ? `${r.resource}/${r.subresource}` : r.resource,
    namespace: r.namespace,
    nonResourcePath: r.resource ? undefined : r.nonResourcePath,
  };
}

/** Where the access came from once joined with the inventory (DESIGN.md "Resolving rbac and node"). */
export function routeOf(
  c: Classification,
  time: number | undefined,
  principalArn: string,
  index: InventoryIndex,
): Route {
  switch (c.path) {
    case "access-policy":
      return "access-policy";
    case "denied":
      return "denied";
    case "other":
      return "other-allowed";
    case "masters":
      return "aws-auth";
    case "rbac":
    case "node": {
      if (c.publicGrant) return "other-allowed";
      // Access entries cannot carry system:masters: a binding to it came through aws-auth.
      if (c.grant?.subjectKind === "Group" && c.grant.subject === "system:masters") return "aws-auth";
      const had = index.hadEntryAt(principalArn, time);
      if (had === true) return "access-entry-groups";
      if (had === false && index.configMapAllowed() !== false) return "aws-auth";
      return "unresolved";
    }
  }
}

function grantLabel(c: Classification): string | undefined {
  if (c.path === "masters") return "masters";
  if (c.path === "node") return "node";
  if (c.path === "rbac" && c.grant) return `${c.grant.subjectKind}:${c.grant.subject}`;
  return undefined;
}

/** Counts one request (or a group of identical ones) that the deduper let through. */
export function addRequest(
  state: UsageState,
  r: AuditRecord,
  c: Classification,
  index: InventoryIndex,
): void {
  const t = state.totals;
  const n = r.count;
  const last = r.lastTime ?? r.time;
  t.requests += n;
  t.paths[c.path] += n;
  t.firstSeen = min(t.firstSeen, r.time);
  t.lastSeen = max(t.lastSeen, last);
  const id = c.identity;
  if (!id.iam) {
    t.nonIam[id.kind] += n;
    return;
  }
  t.iamRequests += n;
  const p = principalOf(state, id.principalArn);
  if (id.node) p.node = true;
  const route = routeOf(c, r.time, id.principalArn, index);
  p.requests += n;
  p.routes[route] += n;
  p.paths[c.path] += n;
  p.firstSeen = min(p.firstSeen, r.time);
  p.lastSeen = max(p.lastSeen, last);
  if (
    c.path !== "denied" &&
    last !== undefined &&
    laterAllowed(last, c.path, p.lastAllowedTime, p.lastAllowedPath)
  ) {
    p.lastAllowedTime = last;
    p.lastAllowedPath = c.path;
  }
  if (r.username) addToSample(p.usernames, r.username);
  if (r.userAgent) addToSample(p.userAgents, r.userAgent);
  if (c.path === "other" || (c.path === "rbac" && !c.grant)) addToSample(p.otherReasons, c.reason);
  if (c.accessPolicy) {
    const ap = c.accessPolicy;
    const scope = ap.scope === "cluster" ? "cluster" : (ap.namespace ?? r.namespace) || "namespace";
    const scopes = p.accessPolicies[ap.policyArn] ?? [];
    p.accessPolicies[ap.policyArn] = scopes;
    if (!scopes.includes(scope)) scopes.push(scope);
    if (ap.entryPrincipalArn) p.entryPrincipalArn ??= ap.entryPrincipalArn;
  }
  if (c.path === "denied" && index.hadEntryAt(id.principalArn, r.time) === true) p.deniedWithEntry += n;
  if (c.path === "masters" && index.hadEntryAt(id.principalArn, r.time) === true) p.mastersWithEntry += n;

  const op = operationOf(r);
  const key = `${op.verb}\u0000${op.apiGroup}\u0000${op.resource}\u0000${op.namespace}\u0000${op.nonResourcePath ?? ""}`;
  let u = p.operations.get(key);
  if (!u) {
    u = { op, count: 0, routes: counters(ROUTE_NAMES), grants: [], lastSeen: undefined };
    p.operations.set(key, u);
  }
  u.count += n;
  u.routes[route] += n;
  u.lastSeen = max(u.lastSeen, last);
  const label = grantLabel(c);
  if (label && !u.grants.includes(label) && u.grants.length < 8) u.grants.push(label);
}

export function addTruncated(state: UsageState, principalArn: string | undefined): void {
  state.totals.truncated++;
  if (principalArn === undefined) {
    state.totals.truncatedUnattributed++;
    return;
  }
  principalOf(state, principalArn).truncated++;
}

function mergeRecord<K extends string>(into: Record<K, number>, from: Record<K, number>): void {
  for (const k of Object.keys(from) as K[]) into[k] += from[k];
}

/** Folds `from` into `into` (parallel readers). Commutative and associative. */
export function mergeUsage(into: UsageState, from: UsageState): void {
  const a = into.totals;
  const b = from.totals;
  a.requests += b.requests;
  a.iamRequests += b.iamRequests;
  mergeRecord(a.paths, b.paths);
  mergeRecord(a.nonIam, b.nonIam);
  a.truncated += b.truncated;
  a.truncatedUnattributed += b.truncatedUnattributed;
  a.firstSeen = min(a.firstSeen, b.firstSeen);
  a.lastSeen = max(a.lastSeen, b.lastSeen);
  for (const [key, q] of from.principals) {
    const p = into.principals.get(key);
    if (!p) {
      into.principals.set(key, q);
      continue;
    }
    if (q.principalArn < p.principalArn) p.principalArn = q.principalArn;
    p.node ||= q.node;
    p.requests += q.requests;
    mergeRecord(p.routes, q.routes);
    mergeRecord(p.paths, q.paths);
    p.truncated += q.truncated;
    p.firstSeen = min(p.firstSeen, q.firstSeen);
    p.lastSeen = max(p.lastSeen, q.lastSeen);
    if (
      q.lastAllowedTime !== undefined &&
      (p.lastAllowedTime === undefined || q.lastAllowedTime > p.lastAllowedTime)
    ) {
      p.lastAllowedTime = q.lastAllowedTime;
      p.lastAllowedPath = q.lastAllowedPath;
    }
    for (const [policy, scopes] of Object.entries(q.accessPolicies)) {
      const mine = p.accessPolicies[policy] ?? [];
      p.accessPolicies[policy] = mine;
      for (const s of scopes) if (!mine.includes(s)) mine.push(s);
    }
    p.entryPrincipalArn ??= q.entryPrincipalArn;
    mergeSample(p.usernames, q.usernames);
    mergeSample(p.userAgents, q.userAgents);
    mergeSample(p.otherReasons, q.otherReasons);
    p.deniedWithEntry += q.deniedWithEntry;
    p.mastersWithEntry += q.mastersWithEntry;
    for (const [k, qo] of q.operations) {
      const po = p.operations.get(k);
      if (!po) {
        p.operations.set(k, qo);
        continue;
      }
      po.count += qo.count;
      mergeRecord(po.routes, qo.routes);
      po.lastSeen = max(po.lastSeen, qo.lastSeen);
      for (const g of qo.grants) if (!po.grants.includes(g) && po.grants.length < 8) po.grants.push(g);
    }
  }
}
