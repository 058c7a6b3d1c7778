// Joins one principal's usage with the inventory and gives it a verdict (DESIGN.md "Readiness verdict").

import type { OperationUsage, PrincipalUsage } from "../aggregate/aggregator.js";
import { isServiceLinkedRole, parseIamArn } from "../arn.js";
import { type InventoryIndex, MAPPING_PROBLEMS, type MappingView } from "../inventory/inventory.js";
import type { Verdict } from "../model.js";
import { entryCovers, isPublicOperation, unknownPolicies } from "./coverage.js";
import { type Plan, planFor } from "./recommend.js";

export interface Assessment {
  verdict: Verdict;
  why: string;
  accessEntry: "yes" | "no" | "unknown";
  plan: Plan;
  notes: string[];
}

const NO_PLAN: Plan = { recommendation: "", notes: [] };

/** Operations the principal needed aws-auth (or an unknown source) for. */
function dependentOperations(u: PrincipalUsage): OperationUsage[] {
  return [...u.operations.values()].filter(
    (o) => (o.routes["aws-auth"] > 0 || o.routes.unresolved > 0) && !isPublicOperation(o.op),
  );
}

function allowed(u: PrincipalUsage): number {
  return u.requests - u.routes.denied;
}

export function assessPrincipal(
  u: PrincipalUsage,
  index: InventoryIndex,
  cluster: string | undefined,
): Assessment {
  const notes: string[] = [];
  const arn = u.principalArn;
  const entryView = index.entry(arn);
  const accessEntry: Assessment["accessEntry"] = index.accessEntriesKnown
    ? entryView
      ? "yes"
      : "no"
    : u.routes["access-policy"] > 0
      ? "yes"
      : "unknown";
  const mapping = index.matchingMapping(arn);
  const plan = (ops: OperationUsage[]) =>
    planFor({
      cluster,
      principalArn: arn,
      entryArn: entryView?.entry.principalArn ?? u.entryPrincipalArn,
      node: u.node || !!mapping?.node,
      mapping,
      operations: ops,
      existing: entryView?.entry,
    });
  const done = (verdict: Verdict, why: string, p: Plan = NO_PLAN): Assessment => ({
    verdict,
    why,
    accessEntry,
    plan: p,
    notes: [...notes, ...p.notes],
  });

  if (u.mastersWithEntry > 0) {
    notes.push(
      `${u.mastersWithEntry} system:masters request(s) came after the inventory's access entry createdAt: masters proves no entry then; check the inventory's age`,
    );
  }
  if (isServiceLinkedRole(arn)) {
    return done(
      "blocked",
      "a service-linked role cannot have an access entry; EKS manages its access itself",
    );
  }
  if (!parseIamArn(arn)) {
    return done(
      "undetermined",
      "the log names only a principal ID (older authenticator), so it cannot be joined with access entries or aws-auth",
      {
        recommendation: `find its ARN (aws iam list-roles / list-users, look for ID ${arn.slice(arn.lastIndexOf(":") + 1)}) and rerun with newer logs`,
        notes: [],
      },
    );
  }
  const usedAwsAuth = u.routes["aws-auth"] > 0;
  if (mapping?.problems.includes("system-group") && usedAwsAuth) {
    return done(
      "blocked",
      `its aws-auth mapping ${MAPPING_PROBLEMS["system-group"]} (${mapping.groups.join(", ")})`,
    );
  }
  if (!mapping && index.awsAuthKnown && index.accountMapped(arn) && usedAwsAuth && !entryView) {
    notes.push("it is admitted by mapAccounts, not by a mapping of its own");
  }

  if (index.accessEntriesKnown) {
    if (!entryView) {
      if (usedAwsAuth || u.routes.unresolved > 0 || u.routes["other-allowed"] > 0) {
        const ops = dependentOperations(u);
        return done(
          "needs-access-entry",
          usedAwsAuth
            ? `${u.routes["aws-auth"]} request(s) through aws-auth and no access entry`
            : "it authenticates only through aws-auth (no access entry)",
          plan(ops),
        );
      }
      if (u.routes["access-policy"] > 0) {
        return done(
          "ready",
          "used access policies only; the inventory lists no access entry now (deleted since?)",
        );
      }
      return done("ready", "only denied requests: switching loses it nothing");
    }
    for (const p of unknownPolicies(entryView.entry))
      notes.push(`coverage through ${p} was not checked (no published table)`);
    const uncovered = dependentOperations(u).filter((o) => !entryCovers(entryView.entry, o));
    if (uncovered.length > 0) {
      const denied =
        u.deniedWithEntry > 0 ? `; denied ${u.deniedWithEntry} time(s) since the entry exists` : "";
      return done(
        "at-risk",
        `${uncovered.length} operation(s) it did through aws-auth are not covered by its access entry${denied}`,
        plan(uncovered),
      );
    }
    if (u.deniedWithEntry > 0 && usedAwsAuth) {
      return done(
        "at-risk",
        `denied ${u.deniedWithEntry} time(s) since its access entry was created`,
        NO_PLAN,
      );
    }
    return done(
      "ready",
      usedAwsAuth
        ? "used aws-auth before its access entry existed; the entry covers what it did"
        : "has an access entry",
    );
  }

  // No inventory: the log alone decides (DESIGN.md).
  if (u.lastAllowedPath === "masters") {
    return done(
      "needs-access-entry",
      "its latest allowed request came through system:masters: no access entry then",
      plan(dependentOperations(u)),
    );
  }
  if (u.routes.unresolved > 0) {
    return done(
      "undetermined",
      "used RBAC or node access: the inventory is needed to tell aws-auth from an access entry",
    );
  }
  if (u.routes["access-policy"] > 0) {
    if (u.paths.masters > 0) {
      notes.push(
        "it used system:masters earlier: whether its access policies cover that was not checked (no inventory)",
      );
    }
    return done("ready", "uses access policies, so it has an access entry");
  }
  if (allowed(u) > 0) {
    return done(
      "undetermined",
      "allowed only by grants every identity has: the inventory is needed to tell how it authenticates",
    );
  }
  return done("ready", "only denied requests: switching loses it nothing");
}

/** A mapping no request matched: dormant, or blocked when it can never work or never move. */
export function assessMapping(m: MappingView): { verdict: Verdict; why: string; recommendation: string } {
  if (m.problems.length > 0) {
    const why = m.problems.map((p) => MAPPING_PROBLEMS[p]).join("; ");
    const fix =
      m.source === "mapAccounts"
        ? "create an access entry for each principal of the account that needs the cluster, then drop mapAccounts"
        : m.problems.includes("role-path")
          ? "it never matched anything: remove it; if the role needs access, give it an access entry (paths are fine there)"
          : "keep it out of the move: remove the mapping or grant that access another way";
    return { verdict: "blocked", why, recommendation: fix };
  }
  return {
    verdict: "dormant",
    why: "mapped in aws-auth, no request in the window",
    recommendation:
      "candidate for removal from aws-auth; no access entry needed unless it is used outside this window",
  };
}
