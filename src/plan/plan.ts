// The migration plan: from a report, the ordered steps that move a cluster to authentication mode API.

import type { AuthenticationMode } from "../model.js";
import type { EntryPlan } from "../readiness/recommend.js";
import type { ClusterVerdict, PrincipalReport, Report } from "../report/model.js";

export const STEP_KINDS = {
  "enable-access-entries": "turn access entries on (the cluster is CONFIG_MAP)",
  "create-entry": "create an access entry for a principal that depends on aws-auth",
  "amend-entry": "widen an access entry that does not cover what the principal did through aws-auth",
  "resolve-blocker": "resolve what cannot become an access entry",
  investigate: "find out how a principal gets in before switching",
  "remove-mapping": "remove an aws-auth mapping nothing used",
  "switch-mode": "switch the authentication mode to API",
  "delete-aws-auth": "delete the aws-auth ConfigMap, which API mode ignores",
} as const;
export type StepKind = keyof typeof STEP_KINDS;

export interface PlanStep {
  kind: StepKind;
  principal?: string;
  why: string;
  entry?: EntryPlan;
  /** Shell commands for steps that are not access entries (mode switch, ConfigMap). */
  commands?: string[];
  notes?: string[];
}

export interface MigrationPlan {
  cluster: string;
  region: string | undefined;
  mode: AuthenticationMode | undefined;
  verdict: ClusterVerdict;
  steps: PlanStep[];
}

const byRequests = (a: PrincipalReport, b: PrincipalReport) =>
  b.requests - a.requests || a.principalArn.localeCompare(b.principalArn);

export function buildPlan(report: Report, region?: string): MigrationPlan {
  const cluster = report.cluster.name;
  const mode = report.cluster.authenticationMode;
  const steps: PlanStep[] = [];
  const p = report.principals;
  const name = cluster === "unknown" ? `"$CLUSTER"` : cluster;
  const regionArg = region ? ` --region ${region}` : "";
  if (mode === "CONFIG_MAP") {
    steps.push({
      kind: "enable-access-entries",
      why: "access entries can only be created once the cluster accepts them; aws-auth keeps working meanwhile",
      commands: [
        `aws eks update-cluster-config${regionArg} --name ${name} --access-config authenticationMode=API_AND_CONFIG_MAP`,
      ],
    });
  }
  // Nodes first: a node that loses access takes its pods with it.
  const needs = p
    .filter((x) => x.readiness === "needs-access-entry")
    .sort(
      (a, b) =>
        Number(b.principalType === "node-role") - Number(a.principalType === "node-role") || byRequests(a, b),
    );
  for (const x of needs) steps.push(step("create-entry", x));
  for (const x of p.filter((y) => y.readiness === "at-risk").sort(byRequests))
    steps.push(step("amend-entry", x));
  for (const x of p.filter((y) => y.readiness === "blocked")) steps.push(step("resolve-blocker", x));
  for (const x of p.filter((y) => y.readiness === "undetermined")) steps.push(step("investigate", x));
  for (const x of p.filter((y) => y.readiness === "dormant")) steps.push(step("remove-mapping", x));
  const ready = report.clusterVerdict.status === "ready";
  steps.push({
    kind: "switch-mode",
    why: ready
      ? "nothing in the window depends on aws-auth"
      : "after the steps above, once a new report shows nothing depending on aws-auth (this cannot be undone)",
    commands: [
      `aws eks update-cluster-config${regionArg} --name ${name} --access-config authenticationMode=API`,
    ],
  });
  steps.push({
    kind: "delete-aws-auth",
    why: "API mode ignores it; keep a copy, then remove it so nobody edits it believing it still grants access",
    commands: [
      "kubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.backup.yaml",
      "kubectl delete configmap aws-auth -n kube-system",
    ],
  });
  return { cluster, region, mode, verdict: report.clusterVerdict, steps };
}

function step(kind: StepKind, x: PrincipalReport): PlanStep {
  return {
    kind,
    principal: x.principalArn,
    why: `${x.why}${x.recommendation ? `; ${x.recommendation}` : ""}`,
    ...(x.entryPlan ? { entry: x.entryPlan } : {}),
    ...(x.notes.length ? { notes: x.notes } : {}),
  };
}
