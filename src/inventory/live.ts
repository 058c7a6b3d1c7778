// The live inventory: DescribeCluster, every access entry with its policies, and aws-auth from the
// cluster's API. Entries are read with bounded concurrency and retries; one deleted mid-read is skipped.

import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  type EKSClient,
  ListAccessEntriesCommand,
  ListAssociatedAccessPoliciesCommand,
} from "@aws-sdk/client-eks";
import { AwsError } from "../errors.js";
import { describeAwsError } from "../sources/aws-errors.js";
import { mapLimit, type RetryOptions, withRetry } from "../sources/retry.js";
import { readAwsAuthFromCluster } from "./kube.js";
import type { AccessEntry, ClusterInfo, Inventory } from "./model.js";

export interface LiveInventory {
  inventory: Inventory;
  /** What could not be read, one line each (the report says it). */
  notes: string[];
}

export interface InventoryOptions extends RetryOptions {
  concurrency?: number;
  /** Read aws-auth from the cluster API (default true). */
  awsAuth?: boolean;
  kubeTimeoutMs?: number;
  /** Test hook: where to reach the cluster API instead of DescribeCluster's endpoint. */
  kubeEndpoint?: string;
}

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);

function isNotFound(err: unknown): boolean {
  return (err as { name?: string })?.name === "ResourceNotFoundException";
}

/** Every page of a listing, each page retried on its own (the SDK paginators would restart from scratch). */
async function allPages<T>(
  what: string,
  retry: RetryOptions,
  page: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken: string | undefined }>,
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const p = await withRetry(what, () => page(token), retry);
    out.push(...p.items);
    token = p.nextToken;
  } while (token);
  return out;
}

export async function fetchInventory(
  eks: EKSClient,
  cluster: string,
  o: InventoryOptions = {},
): Promise<LiveInventory> {
  const notes: string[] = [];
  const retry = { signal: o.signal, maxAttempts: o.maxAttempts, backoffMs: o.backoffMs, sleep: o.sleep };
  const described = await withRetry(
    "eks:DescribeCluster",
    () => eks.send(new DescribeClusterCommand({ name: cluster }), { abortSignal: o.signal }),
    retry,
  );
  const c = described.cluster;
  if (!c) throw new AwsError(`DescribeCluster returned no cluster for ${cluster}`);
  const info: ClusterInfo = {
    ...(c.name ? { name: c.name } : { name: cluster }),
    ...(c.arn ? { arn: c.arn } : {}),
    ...(c.version ? { version: c.version } : {}),
    ...(c.endpoint ? { endpoint: c.endpoint } : {}),
    ...(c.accessConfig
      ? {
          accessConfig: {
            ...(c.accessConfig.authenticationMode
              ? { authenticationMode: c.accessConfig.authenticationMode }
              : {}),
            ...(c.accessConfig.bootstrapClusterCreatorAdminPermissions !== undefined
              ? {
                  bootstrapClusterCreatorAdminPermissions:
                    c.accessConfig.bootstrapClusterCreatorAdminPermissions,
                }
              : {}),
          },
        }
      : {}),
    ...(c.logging
      ? {
          logging: {
            clusterLogging: (c.logging.clusterLogging ?? []).map((l) => ({
              types: l.types ?? [],
              enabled: !!l.enabled,
            })),
          },
        }
      : {}),
  };

  let accessEntries: AccessEntry[] = [];
  if (info.accessConfig?.authenticationMode === "CONFIG_MAP") {
    notes.push("the cluster is in CONFIG_MAP mode: it has no access entries yet");
  } else {
    const arns = await allPages("eks:ListAccessEntries", retry, async (nextToken) => {
      const page = await eks.send(
        new ListAccessEntriesCommand({ clusterName: cluster, maxResults: 100, nextToken }),
        { abortSignal: o.signal },
      );
      return { items: page.accessEntries ?? [], nextToken: page.nextToken };
    });
    const read = await mapLimit(arns, o.concurrency ?? 8, async (principalArn) => {
      try {
        const entry = (
          await withRetry(
            "eks:DescribeAccessEntry",
            () =>
              eks.send(new DescribeAccessEntryCommand({ clusterName: cluster, principalArn }), {
                abortSignal: o.signal,
              }),
            retry,
          )
        ).accessEntry;
        const policies = await allPages("eks:ListAssociatedAccessPolicies", retry, async (nextToken) => {
          const page = await eks.send(
            new ListAssociatedAccessPoliciesCommand({
              clusterName: cluster,
              principalArn,
              maxResults: 100,
              nextToken,
            }),
            { abortSignal: o.signal },
          );
          return { items: page.associatedAccessPolicies ?? [], nextToken: page.nextToken };
        });
        if (!entry) return undefined;
        const out: AccessEntry = {
          principalArn: entry.principalArn ?? principalArn,
          ...(entry.type ? { type: entry.type } : {}),
          ...(entry.username ? { username: entry.username } : {}),
          kubernetesGroups: entry.kubernetesGroups ?? [],
          ...(entry.createdAt ? { createdAt: iso(entry.createdAt)! } : {}),
          ...(entry.modifiedAt ? { modifiedAt: iso(entry.modifiedAt)! } : {}),
          ...(entry.accessEntryArn ? { accessEntryArn: entry.accessEntryArn } : {}),
          associatedAccessPolicies: policies.map((p) => ({
            policyArn: p.policyArn ?? "",
            accessScope: {
              type: p.accessScope?.type === "namespace" ? "namespace" : "cluster",
              ...(p.accessScope?.namespaces?.length ? { namespaces: p.accessScope.namespaces } : {}),
            },
            ...(p.associatedAt ? { associatedAt: iso(p.associatedAt)! } : {}),
            ...(p.modifiedAt ? { modifiedAt: iso(p.modifiedAt)! } : {}),
          })),
        };
        return out;
      } catch (err) {
        // Deleted between the listing and this read: the inventory is a snapshot, not a transaction.
        if (isNotFound(err) || isNotFound((err as { cause?: unknown }).cause)) {
          notes.push(`access entry ${principalArn} disappeared while being read (deleted?): skipped`);
          return undefined;
        }
        throw describeAwsError(err, "eks:DescribeAccessEntry");
      }
    });
    accessEntries = read.filter((e): e is AccessEntry => e !== undefined);
  }

  let awsAuth: Inventory["awsAuth"];
  if (o.awsAuth !== false && info.accessConfig?.authenticationMode !== "API") {
    const endpoint = o.kubeEndpoint ?? info.endpoint;
    if (!endpoint) {
      notes.push("DescribeCluster gave no API endpoint: aws-auth not read (give --aws-auth FILE)");
    } else {
      const read = await readAwsAuthFromCluster(eks, {
        cluster,
        clusterArn: info.arn,
        endpoint,
        caData: c.certificateAuthority?.data,
        timeoutMs: o.kubeTimeoutMs,
      });
      if (read.awsAuth) awsAuth = read.awsAuth;
      else
        notes.push(
          `aws-auth not read: ${read.why} — give it as a file: kubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.yaml; --aws-auth aws-auth.yaml`,
        );
    }
  }
  return { inventory: { cluster: info, accessEntries, awsAuth }, notes };
}
