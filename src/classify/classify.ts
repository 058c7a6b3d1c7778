// Pure: one record in, how it was authorized out. No I/O, no inventory.

import type { AuditRecord, AuthPath } from "../model.js";
import { type Identity, identify, isNodeIdentity } from "./identity.js";
import {
  ACCESS_POLICY_PREFIX,
  type AccessPolicyGrant,
  type Grant,
  parseAccessPolicyReason,
  parseGrant,
  RBAC_PREFIX,
} from "./reason.js";

export interface Classification {
  identity: Identity;
  path: AuthPath;
  accessPolicy: AccessPolicyGrant | undefined;
  grant: Grant | undefined;
  /** RBAC granted it to a group every authenticated caller has, whatever mapped it. */
  publicGrant: boolean;
  /** The raw reason for `other` and `denied`. */
  reason: string;
}

/** Groups Kubernetes adds to every authenticated caller: bindings to them do not depend on any mapping. */
export const PUBLIC_GROUPS: ReadonlySet<string> = new Set(["system:authenticated", "system:unauthenticated"]);

// Requests repeat the same caller and reason endlessly: classifications are shared, immutable values,
// looked up by reason, then by everything that identifies the caller (arn and principalId only matter
// when canonicalArn is missing).
const memo = new Map<string, Map<string, Classification>>();
let memoSize = 0;
const MEMO_LIMIT = 50_000;

/** Returns undefined when the record carries no authorization decision (e.g. stage RequestReceived). */
export function classify(record: AuditRecord): Classification | undefined {
  const decision = record.decision;
  if (decision === undefined) return undefined;
  const reason = `${decision === "allow" ? "" : `${decision}\u0000`}${record.reason ?? "\u0001"}`;
  let byCaller = memo.get(reason);
  if (byCaller === undefined) {
    byCaller = new Map();
    memo.set(reason, byCaller);
  }
  const caller = `${record.username}\u0000${record.uid}\u0000${record.canonicalArn ?? `\u0001${record.arn}\u0000${record.principalId}`}\u0000${record.groups.join("\u0000")}`;
  let c = byCaller.get(caller);
  if (c === undefined) {
    if (memoSize >= MEMO_LIMIT) {
      memo.clear();
      memoSize = 0;
      memo.set(reason, byCaller);
    }
    c = Object.freeze(classifyOnce(record));
    byCaller.set(caller, c);
    memoSize++;
  }
  return c;
}

function classifyOnce(record: AuditRecord): Classification {
  const decision = record.decision!;
  const identity = identify(record);
  const reason = record.reason ?? "";
  const base = { identity, accessPolicy: undefined, grant: undefined, publicGrant: false, reason };
  if (decision !== "allow") {
    return { ...base, path: decision === "forbid" ? "denied" : "other" };
  }
  if (reason.startsWith(ACCESS_POLICY_PREFIX)) {
    return { ...base, path: "access-policy", accessPolicy: parseAccessPolicyReason(reason) };
  }
  if (reason.startsWith(RBAC_PREFIX)) {
    const grant = parseGrant(reason);
    const publicGrant = grant?.subjectKind === "Group" && PUBLIC_GROUPS.has(grant.subject);
    return { ...base, path: "rbac", grant, publicGrant };
  }
  if (reason === "") {
    if (record.groups.includes("system:masters")) return { ...base, path: "masters" };
    if (isNodeIdentity(record)) return { ...base, path: "node" };
  }
  return { ...base, path: "other" };
}
