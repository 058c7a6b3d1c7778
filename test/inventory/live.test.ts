import { EKSClient } from "@aws-sdk/client-eks";
import { afterEach, describe, expect, it } from "vitest";
import { fetchInventory } from "../../src/inventory/live.js";
import { FakeAws, type FakeEntry, type FakeOptions } from "../support/fake-aws.js";
import { FakeKube, TEST_CA_DATA } from "../support/fake-kube.js";

const ACCOUNT = "111122223333";
const POLICY = (n: string) => `arn:aws:eks::aws:cluster-access-policy/${n}`;
const entries: FakeEntry[] = Array.from({ length: 7 }, (_, i) => ({
  principalArn:
    i === 3 ? `arn:aws:iam::${ACCOUNT}:role/teams/platform-admin` : `arn:aws:iam::${ACCOUNT}:role/team-${i}`,
  createdAt: `2026-11-${String(10 + i).padStart(2, "0")}T08:00:00Z`,
  kubernetesGroups: i === 1 ? ["developers"] : [],
  policies: [
    {
      policyArn: POLICY(i % 2 ? "AmazonEKSViewPolicy" : "AmazonEKSEditPolicy"),
      accessScope: i % 2 ? { type: "cluster" } : { type: "namespace", namespaces: ["team-a"] },
    },
  ],
}));
const configMap = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "aws-auth", namespace: "kube-system" },
  data: {
    mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/nodes\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n`,
  },
};

let fake: FakeAws | undefined;
let kube: FakeKube | undefined;
afterEach(async () => {
  await fake?.close();
  await kube?.close();
  fake = kube = undefined;
});

async function inventoryFrom(o: Partial<FakeOptions>, kubeOptions: { status?: number } | false = {}) {
  if (kubeOptions) kube = await new FakeKube({ configMap, ...kubeOptions }).start();
  fake = await new FakeAws({
    messages: [],
    entries,
    pageSize: 3,
    ...o,
    cluster: {
      name: "demo",
      endpoint: kube?.url ?? "https://127.0.0.1:9",
      caData: TEST_CA_DATA,
      ...o.cluster,
    },
  }).start();
  const eks = new EKSClient({
    endpoint: fake.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
    maxAttempts: 1,
  });
  return fetchInventory(eks, "demo", { backoffMs: 1, kubeTimeoutMs: 2000 });
}

describe("live inventory", () => {
  it("pages through every access entry, with its policies, role paths kept, times as ISO 8601", async () => {
    const { inventory, notes } = await inventoryFrom({});
    expect(notes).toEqual([]);
    expect(fake!.count("eks:ListAccessEntries")).toBe(3);
    expect(inventory.cluster).toMatchObject({
      name: "demo",
      version: "1.31",
      accessConfig: { authenticationMode: "API_AND_CONFIG_MAP" },
    });
    expect(inventory.accessEntries!.map((e) => e.principalArn)).toEqual(entries.map((e) => e.principalArn));
    const platform = inventory.accessEntries![3]!;
    expect(platform).toMatchObject({
      principalArn: `arn:aws:iam::${ACCOUNT}:role/teams/platform-admin`,
      createdAt: "2026-11-13T08:00:00.000Z",
      type: "STANDARD",
    });
    expect(inventory.accessEntries![0]!.associatedAccessPolicies).toEqual([
      {
        policyArn: POLICY("AmazonEKSEditPolicy"),
        accessScope: { type: "namespace", namespaces: ["team-a"] },
        associatedAt: "2026-11-10T08:00:00.000Z",
        modifiedAt: "2026-11-10T08:00:00.000Z",
      },
    ]);
    expect(inventory.accessEntries![1]!.kubernetesGroups).toEqual(["developers"]);
  });

  it("reads aws-auth from the cluster API with an `aws eks get-token` bearer token, verifying the cluster CA", async () => {
    const { inventory } = await inventoryFrom({});
    expect(kube!.tokens).toHaveLength(1);
    expect(kube!.tokens[0]).toMatchObject({ ok: true });
    expect(kube!.tokens[0]!.url!.hostname).toBe("sts.us-east-1.amazonaws.com");
    expect(inventory.awsAuth?.mapRoles).toEqual([
      {
        rolearn: `arn:aws:iam::${ACCOUNT}:role/nodes`,
        username: "system:node:{{EC2PrivateDNSName}}",
        groups: ["system:bootstrappers", "system:nodes"],
      },
    ]);
  });

  it("rides out throttling and 5xx", async () => {
    const { inventory } = await inventoryFrom({
      eksFaults: ["throttle", "5xx", "throttle", undefined, "throttle"],
    });
    expect(inventory.accessEntries).toHaveLength(7);
  });

  it("skips an entry deleted between List and Describe, and says so", async () => {
    const gone = entries[2]!.principalArn;
    const { inventory, notes } = await inventoryFrom({ vanishing: [gone] });
    expect(inventory.accessEntries).toHaveLength(6);
    expect(notes).toEqual([`access entry ${gone} disappeared while being read (deleted?): skipped`]);
  });

  it("when the cluster refuses or cannot be reached, suggests the file route and goes on", async () => {
    const refused = await inventoryFrom({}, { status: 403 });
    expect(refused.inventory.awsAuth).toBeUndefined();
    expect(refused.notes[0]).toMatch(
      /aws-auth not read: the cluster refused this identity \(HTTP 403\).*--aws-auth aws-auth\.yaml/,
    );
    await fake!.close();
    await kube!.close();
    kube = undefined;
    const unreachable = await inventoryFrom({}, false);
    expect(unreachable.notes[0]).toMatch(/aws-auth not read: cannot reach 127\.0\.0\.1:9/);
    expect(unreachable.inventory.accessEntries).toHaveLength(7);
  });

  it("a CONFIG_MAP cluster has no access entries to list", async () => {
    const { inventory, notes } = await inventoryFrom({ cluster: { name: "demo", mode: "CONFIG_MAP" } });
    expect(inventory.accessEntries).toEqual([]);
    expect(fake!.count("eks:ListAccessEntries")).toBe(0);
    expect(notes[0]).toMatch(/CONFIG_MAP/);
  });
});
