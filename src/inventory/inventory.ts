// Loads the inventory JSON and indexes it for joins with the audit log's principals.

import { readFile } from "node:fs/promises";
import { isServiceLinkedRole, parseIamArn, principalKey } from "../arn.js";
import { InputError, messageOf } from "../errors.js";
import { AUTHENTICATION_MODES, type AuthenticationMode } from "../model.js";
import { parseTime } from "../time.js";
import { awsAuthFrom, parseAwsAuth } from "./aws-auth.js";
import type { AccessEntry, AwsAuth, ClusterInfo, Inventory } from "./model.js";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

function entryFrom(v: unknown, where: string): AccessEntry {
  if (!isObject(v) || typeof v.principalArn !== "string") {
    throw new InputError(`${where}: each access entry needs a string principalArn`);
  }
  const policies = v.associatedAccessPolicies ?? [];
  if (!Array.isArray(policies)) throw new InputError(`${where}: associatedAccessPolicies must be a list`);
  const associatedAccessPolicies = policies.map((p, i) => {
    const scope = isObject(p) && isObject(p.accessScope) ? p.accessScope : { type: "cluster" };
    if (!isObject(p) || typeof p.policyArn !== "string") {
      throw new InputError(`${where}: associatedAccessPolicies[${i}] needs a string policyArn`);
    }
    if (scope.type !== "cluster" && scope.type !== "namespace") {
      throw new InputError(
        `${where}: associatedAccessPolicies[${i}].accessScope.type must be cluster or namespace`,
      );
    }
    const namespaces = Array.isArray(scope.namespaces) ? scope.namespaces.map(String) : undefined;
    return {
      policyArn: p.policyArn,
      accessScope: {
        type: scope.type,
        ...(namespaces ? { namespaces } : {}),
      } as AccessEntry["associatedAccessPolicies"][number]["accessScope"],
    };
  });
  if (
    v.createdAt !== undefined &&
    (typeof v.createdAt !== "string" || parseTime(v.createdAt) === undefined)
  ) {
    throw new InputError(`${where}: createdAt must be an ISO 8601 time`);
  }
  const groups = v.kubernetesGroups;
  return {
    principalArn: v.principalArn,
    ...(typeof v.type === "string" ? { type: v.type } : {}),
    ...(typeof v.username === "string" ? { username: v.username } : {}),
    kubernetesGroups: Array.isArray(groups) ? groups.map(String) : [],
    ...(typeof v.createdAt === "string" ? { createdAt: v.createdAt } : {}),
    associatedAccessPolicies,
  };
}

export function inventoryFrom(value: unknown, where: string): Inventory {
  if (!isObject(value)) throw new InputError(`${where}: the inventory must be a JSON object`);
  const cluster = (isObject(value.cluster) ? value.cluster : {}) as ClusterInfo;
  const mode = cluster.accessConfig?.authenticationMode;
  if (mode !== undefined && !AUTHENTICATION_MODES.includes(mode)) {
    throw new InputError(
      `${where}: cluster.accessConfig.authenticationMode must be one of ${AUTHENTICATION_MODES.join(", ")}`,
    );
  }
  let accessEntries: AccessEntry[] | undefined;
  if (value.accessEntries !== undefined) {
    if (!Array.isArray(value.accessEntries)) throw new InputError(`${where}: accessEntries must be a list`);
    accessEntries = value.accessEntries.map((e, i) => entryFrom(e, `${where}: accessEntries[${i}]`));
  }
  const awsAuth = value.awsAuth === undefined ? undefined : awsAuthFrom(value.awsAuth, `${where}: awsAuth`);
  return { cluster, accessEntries, awsAuth };
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    throw new InputError(`cannot read ${what} ${path}: ${messageOf(err)}`, "check the path", { cause: err });
  }
}

export async function loadInventoryFile(path: string): Promise<Inventory> {
  const text = await readText(path, "inventory");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${path}: the inventory is not valid JSON (${messageOf(err)})`, undefined, {
      cause: err,
    });
  }
  return inventoryFrom(value, path);
}

export async function loadAwsAuthFile(path: string): Promise<AwsAuth> {
  return parseAwsAuth(await readText(path, "aws-auth ConfigMap"), path);
}

/** Why an aws-auth mapping can never become (or never was) a working access: DESIGN.md's `blocked`. */
export const MAPPING_PROBLEMS = {
  "role-path":
    "the rolearn has an IAM path: the authenticator compares the path-less canonical ARN, so it never matches",
  "not-iam-arn": "not an IAM role or user ARN (an STS session ARN never matches)",
  "service-linked": "a service-linked role cannot have an access entry",
  "system-group":
    "maps a `system:` group other than system:masters or the node groups: access entries cannot carry it",
  "map-accounts": "mapAccounts admits every principal of the account: access entries name one principal each",
} as const;
export type MappingProblem = keyof typeof MAPPING_PROBLEMS;

/** Node groups EKS writes for node, Fargate and Windows roles: they become node-type access entries. */
export const NODE_GROUPS: ReadonlySet<string> = new Set([
  "system:bootstrappers",
  "system:nodes",
  "system:node-proxier",
  "eks:kube-proxy-windows",
]);

export interface MappingView {
  source: "mapRoles" | "mapUsers" | "mapAccounts";
  /** The ARN (or account ID) as written. */
  arn: string;
  username: string | undefined;
  groups: string[];
  problems: MappingProblem[];
  node: boolean;
}

function viewOf(
  source: "mapRoles" | "mapUsers",
  arn: string,
  username: string | undefined,
  groups: string[],
): MappingView {
  const problems: MappingProblem[] = [];
  const parsed = parseIamArn(arn);
  const expected = source === "mapRoles" ? "role" : "user";
  if (!parsed || parsed.kind !== expected) problems.push("not-iam-arn");
  else if (expected === "role" && parsed.path) problems.push("role-path");
  if (isServiceLinkedRole(arn)) problems.push("service-linked");
  if (groups.some((g) => g.startsWith("system:") && g !== "system:masters" && !NODE_GROUPS.has(g))) {
    problems.push("system-group");
  }
  const node = groups.includes("system:nodes") || (username ?? "").startsWith("system:node:");
  return { source, arn, username, groups, problems, node };
}

export interface EntryView {
  entry: AccessEntry;
  createdAt: number | undefined;
}

/** The inventory, indexed by principal. Works with nothing known: every lookup then says "unknown". */
export class InventoryIndex {
  readonly accessEntriesKnown: boolean;
  readonly awsAuthKnown: boolean;
  readonly mode: AuthenticationMode | undefined;
  readonly clusterName: string | undefined;
  private readonly entries = new Map<string, EntryView>();
  private readonly exactMappings = new Map<string, MappingView>();
  private readonly keyedMappings = new Map<string, MappingView>();
  private readonly accounts = new Set<string>();
  readonly mappingViews: MappingView[] = [];

  constructor(readonly source: Inventory | undefined) {
    const inventory = source;
    this.accessEntriesKnown = inventory?.accessEntries !== undefined;
    this.awsAuthKnown = inventory?.awsAuth !== undefined;
    this.mode = inventory?.cluster.accessConfig?.authenticationMode;
    this.clusterName = inventory?.cluster.name;
    for (const entry of inventory?.accessEntries ?? []) {
      this.entries.set(principalKey(entry.principalArn), {
        entry,
        createdAt: entry.createdAt ? parseTime(entry.createdAt) : undefined,
      });
    }
    const auth = inventory?.awsAuth;
    if (!auth) return;
    const add = (view: MappingView) => {
      this.mappingViews.push(view);
      // The authenticator keys mappings by the lower-cased ARN: later duplicates win.
      if (view.problems.length === 0 || !view.problems.includes("role-path")) {
        this.exactMappings.set(view.arn.toLowerCase(), view);
      }
      const key = principalKey(view.arn);
      if (!this.keyedMappings.has(key) || view.problems.length === 0) this.keyedMappings.set(key, view);
    };
    for (const r of auth.mapRoles) add(viewOf("mapRoles", r.rolearn, r.username, r.groups ?? []));
    for (const u of auth.mapUsers) add(viewOf("mapUsers", u.userarn, u.username, u.groups ?? []));
    for (const a of auth.mapAccounts) {
      this.accounts.add(a);
      this.mappingViews.push({
        source: "mapAccounts",
        arn: a,
        username: undefined,
        groups: [],
        problems: ["map-accounts"],
        node: false,
      });
    }
  }

  /** The access entry for a principal (joined on role name / full user ARN), if the inventory lists one. */
  entry(principalArn: string): EntryView | undefined {
    return this.entries.get(principalKey(principalArn));
  }

  allEntries(): EntryView[] {
    return [...this.entries.values()];
  }

  /** The mapping the authenticator would use for this canonical ARN (exact, case-insensitive). */
  matchingMapping(principalArn: string): MappingView | undefined {
    return this.exactMappings.get(principalArn.toLowerCase());
  }

  /** A mapping written for this principal, matching or not (e.g. with a role path). */
  mappingFor(principalArn: string): MappingView | undefined {
    return this.matchingMapping(principalArn) ?? this.keyedMappings.get(principalKey(principalArn));
  }

  accountMapped(principalArn: string): boolean {
    const p = parseIamArn(principalArn);
    return !!p && this.accounts.has(p.account);
  }

  /** Whether the cluster still admits aws-auth; undefined when the mode is not known. */
  configMapAllowed(): boolean | undefined {
    if (this.mode === undefined) return this.awsAuthKnown ? true : undefined;
    return this.mode !== "API";
  }

  // Asked per request (the hot path): each principal's ARN is parsed once.
  private readonly arnParses = new Map<string, boolean>();
  private joinable(principalArn: string): boolean {
    let ok = this.arnParses.get(principalArn);
    if (ok === undefined) {
      ok = parseIamArn(principalArn) !== undefined;
      this.arnParses.set(principalArn, ok);
    }
    return ok;
  }

  /** Did the principal have an access entry at time t? undefined when that cannot be known. */
  hadEntryAt(principalArn: string, t: number | undefined): boolean | undefined {
    // Without an ARN (old authenticators logged only a principal ID) nothing can be joined.
    if (!this.accessEntriesKnown || !this.joinable(principalArn)) return undefined;
    const view = this.entry(principalArn);
    if (!view) return false;
    if (view.createdAt === undefined || t === undefined) return true;
    return view.createdAt <= t;
  }
}
