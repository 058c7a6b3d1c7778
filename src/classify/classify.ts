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

/** Returns undefined when the record carries no authorization decision (e.g. stage RequestReceived). */
export function classify(record: AuditRecord): Classification | undefined {
  const decision = record.decision;
  if (decision === undefined) return undefined;
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
