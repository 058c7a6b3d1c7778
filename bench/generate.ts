// A large synthetic audit log with a realistic mix: service accounts and control-plane components do
// most of the talking, nodes poll, ~100 IAM principals use every authorization path; a tenth of the
// requests are watches logged in two stages; some events carry request objects.

import { once } from "node:events";
import { createWriteStream } from "node:fs";

const ACCOUNT = "111122223333";
const P = (n: string) => `arn:aws:eks::aws:cluster-access-policy/${n}`;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

type Caller = { user: Record<string, unknown>; reason: (ns: string) => string; ua: string; weight: number };

function iam(role: string, i: number, groups: string[], username?: string) {
  return {
    username: username ?? `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/session-${i}`,
    uid: `aws-iam-authenticator:${ACCOUNT}:AROA${String(i).padStart(16, "0")}`,
    groups: [...groups, "system:authenticated"],
    extra: {
      accessKeyId: [`ASIA${String(i).padStart(16, "0")}`],
      arn: [`arn:aws:sts::${ACCOUNT}:assumed-role/${role}/session-${i}`],
      canonicalArn: [`arn:aws:iam::${ACCOUNT}:role/${role}`],
      principalId: [`AROA${String(i).padStart(16, "0")}`],
      sessionName: [`session-${i}`],
    },
  };
}

function callers(): Caller[] {
  const out: Caller[] = [];
  for (let i = 0; i < 100; i++) {
    const role = `team-${i}-role`;
    const kind = i % 4;
    if (kind === 0) {
      const policy = i % 8 === 0 ? "AmazonEKSClusterAdminPolicy" : "AmazonEKSViewPolicy";
      out.push({
        user: iam(role, i, []),
        reason: () =>
          `EKS Access Policy: allowed by ClusterRoleBinding "arn:aws:iam::${ACCOUNT}:role/${role}+${P(policy)}" of ClusterRole "${P(policy)}" to User "AROA${i}"`,
        ua: "kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46",
        weight: 3,
      });
    } else if (kind === 1) {
      out.push({
        user: iam(role, i, ["system:masters"], role),
        reason: () => "",
        ua: "helm/v3.16.2",
        weight: 2,
      });
    } else if (kind === 2) {
      out.push({
        user: iam(role, i, [`group-${i}`], `u:${role}`),
        reason: (ns) =>
          `RBAC: allowed by RoleBinding "group-${i}-edit/${ns}" of ClusterRole "edit" to Group "group-${i}"`,
        ua: "argocd-application-controller/v2.13.0",
        weight: 2,
      });
    } else {
      out.push({
        user: iam(role, i, []),
        reason: () =>
          'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
        ua: "kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46",
        weight: 1,
      });
    }
  }
  for (let n = 0; n < 20; n++) {
    const user = {
      ...iam("eks-node-role", 1000 + n, []),
      username: `system:node:ip-10-0-${n}-1.ec2.internal`,
      groups: ["system:bootstrappers", "system:nodes", "system:authenticated"],
    };
    out.push({ user, reason: () => "", ua: "kubelet/v1.31.2 (linux/amd64) kubernetes/5864a46", weight: 12 });
  }
  for (const sa of [
    "coredns",
    "aws-node",
    "kube-proxy",
    "ebs-csi-controller-sa",
    "cluster-autoscaler",
    "argocd-server",
  ]) {
    out.push({
      user: {
        username: `system:serviceaccount:kube-system:${sa}`,
        uid: "5e4461f9-f529-4e66-9343-0b0cc9452284",
        groups: ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"],
        extra: { "authentication.kubernetes.io/pod-name": [`${sa}-57ff979f67-bl27n`] },
      },
      reason: () =>
        `RBAC: allowed by ClusterRoleBinding "system:${sa}" of ClusterRole "system:${sa}" to ServiceAccount "${sa}/kube-system"`,
      ua: "Go-http-client/2.0",
      weight: 25,
    });
  }
  for (const c of [
    "system:kube-controller-manager",
    "system:kube-scheduler",
    "eks:k8s-metrics",
    "eks:certificate-controller",
  ]) {
    out.push({
      user: { username: c, groups: ["system:authenticated"] },
      reason: () => `RBAC: allowed by ClusterRoleBinding "${c}" of ClusterRole "${c}" to User "${c}"`,
      ua: `${c.split(":")[1]}/v1.31.2`,
      weight: 30,
    });
  }
  return out;
}

const RESOURCES = [
  { resource: "pods", apiVersion: "v1" },
  { resource: "configmaps", apiVersion: "v1" },
  { resource: "deployments", apiGroup: "apps", apiVersion: "v1" },
  { resource: "leases", apiGroup: "coordination.k8s.io", apiVersion: "v1" },
  { resource: "endpointslices", apiGroup: "discovery.k8s.io", apiVersion: "v1" },
  { resource: "secrets", apiVersion: "v1" },
];
const NAMESPACES = ["default", "kube-system", "shop", "payments", "team-a", "team-b", "monitoring"];

/** Writes `events` audit events (watch pairs count as two) and returns the bytes written. */
export async function generate(path: string, events: number, seed = 7): Promise<number> {
  const rand = rng(seed);
  const pool = callers();
  const weighted: Caller[] = pool.flatMap((c) => Array.from({ length: c.weight }, () => c));
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  let t = Date.UTC(2026, 10, 23);
  let written = 0;
  let batch: string[] = [];
  const flush = async () => {
    const text = batch.join("");
    batch = [];
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, "drain");
  };
  while (written < events) {
    const c = weighted[Math.floor(rand() * weighted.length)]!;
    const ref = RESOURCES[Math.floor(rand() * RESOURCES.length)]!;
    const ns = NAMESPACES[Math.floor(rand() * NAMESPACES.length)]!;
    const watch = rand() < 0.1;
    const denied = !watch && rand() < 0.02;
    const verb = watch
      ? "watch"
      : (["get", "list", "update", "patch", "create"] as const)[Math.floor(rand() * 5)]!;
    t += Math.floor(rand() * 1500);
    const id = `${Math.floor(rand() * 0xffffffff)
      .toString(16)
      .padStart(8, "0")}-6262-4718-b45e-${written.toString(16).padStart(12, "0")}`;
    // EKS's audit policy logs writes to the core groups at RequestResponse: both bodies.
    const withBody = verb === "update" || verb === "patch" || verb === "create";
    const body = withBody
      ? {
          kind: "Deployment",
          apiVersion: "apps/v1",
          metadata: {
            name: `obj-${written % 500}`,
            namespace: ns,
            labels: { app: "web", tier: "frontend" },
            annotations: {
              "kubectl.kubernetes.io/last-applied-configuration": "x".repeat(200 + Math.floor(rand() * 1200)),
            },
          },
          spec: {
            replicas: 3,
            selector: { matchLabels: { app: "web" } },
            template: {
              metadata: { labels: { app: "web" } },
              spec: {
                containers: [
                  {
                    name: "web",
                    image: "public.ecr.aws/nginx/nginx:1.27",
                    ports: [{ containerPort: 80 }],
                    resources: { limits: { cpu: "500m", memory: "256Mi" } },
                  },
                ],
              },
            },
          },
        }
      : undefined;
    const base = {
      kind: "Event",
      apiVersion: "audit.k8s.io/v1",
      level: withBody ? "RequestResponse" : "Metadata",
      auditID: id,
      stage: "ResponseComplete",
      requestURI: `/api${ref.apiGroup ? `s/${ref.apiGroup}` : ""}/v1/namespaces/${ns}/${ref.resource}${watch ? "?allowWatchBookmarks=true&watch=true" : ""}`,
      verb,
      user: c.user,
      sourceIPs: [`10.0.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}`],
      userAgent: c.ua,
      objectRef: { ...ref, namespace: ns, name: `obj-${Math.floor(rand() * 500)}` },
      responseStatus: { metadata: {}, code: denied ? 403 : 200 },
      ...(body
        ? {
            requestObject: body,
            responseObject: {
              ...body,
              status: { replicas: 3, readyReplicas: 3, conditions: [{ type: "Available", status: "True" }] },
            },
          }
        : {}),
      requestReceivedTimestamp: new Date(t).toISOString().replace("Z", "123Z"),
      stageTimestamp: new Date(t + 20).toISOString().replace("Z", "456Z"),
      annotations: {
        "authorization.k8s.io/decision": denied ? "forbid" : "allow",
        "authorization.k8s.io/reason": denied ? "" : c.reason(ns),
      },
    };
    if (watch) {
      batch.push(`${JSON.stringify({ ...base, stage: "ResponseStarted" })}\n`);
      written++;
    }
    batch.push(`${JSON.stringify(base)}\n`);
    written++;
    if (batch.length >= 2000) await flush();
  }
  await flush();
  out.end();
  await once(out, "finish");
  return bytes;
}
