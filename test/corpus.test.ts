// Real, public EKS audit samples from ../shared/corpus (see its SOURCES.md). Skipped when the folder is absent.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { classify } from "../src/classify/classify.js";
import { parseAccessPolicyReason } from "../src/classify/reason.js";
import type { AuditRecord } from "../src/model.js";
import { usernameMatches } from "../src/readiness/coverage.js";
import { eventToRecord } from "../src/sources/event.js";
import { emptyStats, readInput } from "../src/sources/files/reader.js";
import { parseTime } from "../src/time.js";
import { tempDir } from "./support/tmp.js";

const CORPUS = new URL("../../shared/corpus/", import.meta.url).pathname;
const present = existsSync(CORPUS);
const file = (prefix: string) => {
  const name = readdirSync(CORPUS).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`corpus file ${prefix}* not found`);
  return join(CORPUS, name);
};
const tmp = tempDir();

async function recordsOf(path: string): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  await readInput(path, emptyStats(), { record: (r) => out.push(r), truncated: () => undefined });
  return out;
}

/** What the reason annotation says the path must be, independently of the classifier's code. */
function expectedPath(e: Record<string, unknown>): string {
  const a = (e.annotations ?? {}) as Record<string, string>;
  const groups = ((e.user as { groups?: string[] })?.groups ?? []) as string[];
  const reason = a["authorization.k8s.io/reason"] ?? "";
  if (a["authorization.k8s.io/decision"] === "forbid") return "denied";
  if (reason.startsWith("EKS Access Policy:")) return "access-policy";
  if (reason.startsWith("RBAC:")) return "rbac";
  if (reason === "" && groups.includes("system:masters")) return "masters";
  if (
    reason === "" &&
    (groups.includes("system:nodes") ||
      String((e.user as { username?: string }).username).startsWith("system:node:"))
  )
    return "node";
  return "other";
}

describe.skipIf(!present)("real samples (../shared/corpus)", () => {
  it("the only public EKS Access Policy event: an access-policy request by the SSO role", async () => {
    const [r] = await recordsOf(file("PaloAltoNetworks-KIEMPossible"));
    const c = classify(r!)!;
    expect(c.path).toBe("access-policy");
    expect(c.identity).toEqual({
      iam: true,
      principalArn: "arn:aws:iam::211125685544:role/sso_admin",
      node: false,
    });
    expect(c.accessPolicy).toMatchObject({
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      scope: "cluster",
      entryPrincipalArn: "arn:aws:iam::211125685544:role/sso_admin",
    });
    expect(r!.time).toBe(parseTime("2024-08-24T14:27:07.461683Z"));
  });

  it("a real get-query-results excerpt (cut after the first row): the row is read, the cut counted", async () => {
    const text = readFileSync(
      file("aws-samples__amazon-eks-security-immersion-day__query-using-log-insights"),
      "utf8",
    );
    const path = tmp.file("query-results.json", text.slice(text.indexOf("{")));
    const stats = emptyStats();
    const records: AuditRecord[] = [];
    await readInput(path, stats, { record: (r) => records.push(r), truncated: () => undefined });
    expect(records).toHaveLength(1);
    expect(stats.logGroups).toEqual(["/aws/eks/eksworkshop-eksctl/cluster"]);
    const c = classify(records[0]!)!;
    expect(c.path).toBe("rbac");
    expect(c.identity).toEqual({ iam: false, kind: "eks-internal" });
    expect(c.grant).toMatchObject({ subjectKind: "User", subject: "eks:k8s-metrics" });
    expect(stats.problems.at(-1)?.why).toMatch(/ends early/);
  });

  it.each([
    "panther-analysis__rules_aws_eks_rules__system_namespace_public_ip",
    "panther-analysis__rules_aws_eks_rules__source_ip_multiple_403",
    "panther-analysis__rules_aws_eks_rules__anonymous_api_access",
  ])("every event of %s is classified as its reason says", (prefix) => {
    const doc = parseYaml(readFileSync(file(prefix), "utf8")) as {
      Tests: { Name: string; Log: Record<string, unknown> }[];
    };
    let checked = 0;
    for (const t of doc.Tests) {
      const r = eventToRecord(t.Log);
      if (!r) continue;
      const c = classify(r);
      if (!c) continue;
      expect(c.path, t.Name).toBe(expectedPath(t.Log));
      checked++;
    }
    expect(checked).toBeGreaterThan(2);
  });

  it("EKS's own callers stay internal and node identities without IAM data are not principals", () => {
    const doc = parseYaml(
      readFileSync(file("panther-analysis__rules_aws_eks_rules__system_namespace_public_ip"), "utf8"),
    ) as {
      Tests: { Name: string; Log: Record<string, unknown> }[];
    };
    const byName = (n: string) => classify(eventToRecord(doc.Tests.find((t) => t.Name.includes(n))!.Log)!)!;
    expect(byName("eks:addon-manager").identity).toEqual({ iam: false, kind: "eks-internal" });
    expect(byName("legitimate EKS node").identity).toEqual({ iam: false, kind: "node-unattributed" });
    expect(byName("legitimate EKS node").path).toBe("node");
  });

  it("access-entry username templates match the usernames seen in the wild", () => {
    const lines = readFileSync(
      file("aws-samples__amazon-eks-security-immersion-day__access-entry-usernames"),
      "utf8",
    ).split("\n");
    const templates = lines
      .map((l) => /"username": "([^"]+\{\{SessionName\}\})"/.exec(l)?.[1])
      .filter((x): x is string => !!x);
    const rendered = lines
      .map((l) => /(arn:aws:sts::ACCOUNT_ID:assumed-role\/[^/"\s]+\/botocore-session-\d+)/.exec(l)?.[1])
      .filter((x): x is string => !!x);
    expect(templates.length).toBeGreaterThan(2);
    for (const name of rendered) {
      const role = name.split("/")[1];
      expect(
        templates.some((t) => t.includes(`/${role}/`) && usernameMatches(t, name)),
        name,
      ).toBe(true);
      expect(templates.filter((t) => !t.includes(`/${role}/`)).some((t) => usernameMatches(t, name))).toBe(
        false,
      );
    }
  });

  it("the update-access-entry example: createdAt with an offset, and its generated username", () => {
    const text = readFileSync(file("aws-cli__awscli_examples_eks__update-access-entry"), "utf8");
    const entry = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)).accessEntry;
    expect(parseTime(entry.createdAt)).toBe(Date.UTC(2025, 4, 24, 16, 2, 4, 432));
    expect(usernameMatches(entry.username, "arn:aws:sts::111122223333:assumed-role/Admin/alice")).toBe(true);
  });

  it("the namespace-scoped reason format, if ever published, would still yield the policy", () => {
    // Our guess at the RoleBinding form (reference: NOT FOUND); the policy ARN must survive either way.
    const r = parseAccessPolicyReason(
      'EKS Access Policy: allowed by RoleBinding "arn:aws:iam::211125685544:role/sso_admin+arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy" of ClusterRole "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy" to User "AROATCKASJUUBCXRRKSFT"',
    );
    expect(r).toMatchObject({
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
      scope: "namespace",
    });
  });
});
