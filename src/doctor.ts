// `doctor`: who am I, and may I make each call the tool makes? Read-only calls only (never StartQuery).

import { GetQueryResultsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  ListAccessEntriesCommand,
  ListAssociatedAccessPoliciesCommand,
} from "@aws-sdk/client-eks";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { messageOf } from "./errors.js";
import { readAwsAuthFromCluster } from "./inventory/kube.js";
import { describeAwsError } from "./sources/aws-errors.js";
import { type AwsClients, auditLoggingOn } from "./sources/insights/live.js";

export interface Check {
  action: string;
  status: "ok" | "denied" | "failed" | "skipped";
  detail: string;
}

/** Errors that prove the call itself was allowed (the bogus argument was rejected, not the caller). */
const ALLOWED_ANYWAY = new Set([
  "ResourceNotFoundException",
  "InvalidParameterException",
  "ValidationException",
]);

async function probe(action: string, f: () => Promise<string>): Promise<Check> {
  try {
    return { action, status: "ok", detail: await f() };
  } catch (err) {
    const name = (err as { name?: string }).name ?? "";
    if (ALLOWED_ANYWAY.has(name))
      return { action, status: "ok", detail: `allowed (${name} for a probe argument)` };
    const e = describeAwsError(err, action);
    const denied = /access denied/.test(e.message);
    return {
      action,
      status: denied ? "denied" : "failed",
      detail: `${e.message}${e.hint ? ` — ${e.hint}` : ""}`,
    };
  }
}

export async function runDoctor(o: {
  cluster?: string | undefined;
  clients: AwsClients;
  sts?: STSClient;
  region?: string;
  profile?: string;
  kubeEndpoint?: string;
}): Promise<Check[]> {
  const sts =
    o.sts ??
    new STSClient({
      ...(o.region ? { region: o.region } : {}),
      ...(o.profile ? { profile: o.profile } : {}),
    });
  const checks: Check[] = [];
  checks.push(
    await probe("sts:GetCallerIdentity", async () => {
      const id = await sts.send(new GetCallerIdentityCommand({}));
      return `${id.Arn} (account ${id.Account})`;
    }),
  );
  if (!o.cluster) {
    checks.push({
      action: "eks:*, logs:*",
      status: "skipped",
      detail: "give --cluster <name> to check the calls a live report makes",
    });
    return checks;
  }
  const cluster = o.cluster;
  const { eks, logs } = o.clients;
  let endpoint: string | undefined;
  let ca: string | undefined;
  let clusterArn: string | undefined;
  checks.push(
    await probe("eks:DescribeCluster", async () => {
      const c = (await eks.send(new DescribeClusterCommand({ name: cluster }))).cluster;
      endpoint = c?.endpoint;
      ca = c?.certificateAuthority?.data;
      clusterArn = c?.arn;
      const audit = auditLoggingOn(c?.logging?.clusterLogging);
      return `${c?.arn ?? cluster}; authentication mode ${c?.accessConfig?.authenticationMode ?? "?"}; audit logging ${audit ? "on" : "OFF"}`;
    }),
  );
  let first: string | undefined;
  checks.push(
    await probe("eks:ListAccessEntries", async () => {
      const page = await eks.send(new ListAccessEntriesCommand({ clusterName: cluster, maxResults: 1 }));
      first = page.accessEntries?.[0];
      return first ? "allowed" : "allowed (no entries)";
    }),
  );
  const probeArn = first ?? "arn:aws:iam::000000000000:role/eks-access-audit-probe";
  checks.push(
    await probe("eks:DescribeAccessEntry", async () => {
      await eks.send(new DescribeAccessEntryCommand({ clusterName: cluster, principalArn: probeArn }));
      return "allowed";
    }),
  );
  checks.push(
    await probe("eks:ListAssociatedAccessPolicies", async () => {
      await eks.send(
        new ListAssociatedAccessPoliciesCommand({
          clusterName: cluster,
          principalArn: probeArn,
          maxResults: 1,
        }),
      );
      return "allowed";
    }),
  );
  checks.push(
    await probe("logs:GetQueryResults", async () => {
      await logs.send(new GetQueryResultsCommand({ queryId: "00000000-0000-0000-0000-000000000000" }));
      return "allowed";
    }),
  );
  checks.push({
    action: "logs:StartQuery",
    status: "skipped",
    detail: "not called: it would start a billed query (docs/iam-policy.json grants it)",
  });
  const kubeAt = o.kubeEndpoint ?? endpoint;
  if (kubeAt) {
    try {
      const read = await readAwsAuthFromCluster(eks, { cluster, clusterArn, endpoint: kubeAt, caData: ca });
      checks.push(
        read.awsAuth
          ? {
              action: "kubernetes: get configmaps/aws-auth",
              status: "ok",
              detail: `${read.awsAuth.mapRoles.length + read.awsAuth.mapUsers.length} mapping(s)`,
            }
          : {
              action: "kubernetes: get configmaps/aws-auth",
              status: "failed",
              detail: `${read.why} — reports can take --aws-auth FILE instead`,
            },
      );
    } catch (err) {
      checks.push({
        action: "kubernetes: get configmaps/aws-auth",
        status: "failed",
        detail: messageOf(err),
      });
    }
  }
  return checks;
}
