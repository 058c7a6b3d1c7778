// The built binary against a local CloudWatch Logs + EKS endpoint (AWS_ENDPOINT_URL), dummy credentials.

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterEach, describe, expect, it } from "vitest";
import { demoMessages } from "./support/demo-messages.js";
import { FakeAws, type FakeOptions } from "./support/fake-aws.js";
import { FakeKube, TEST_CA_DATA } from "./support/fake-kube.js";
import { tempDir } from "./support/tmp.js";

const tmp = tempDir();
let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function withFake(o: Partial<FakeOptions> = {}) {
  fake = await new FakeAws({ messages: demoMessages(), cluster: { name: "demo" }, ...o }).start();
  return fake;
}

function run(args: string[], onStart?: (child: ReturnType<typeof spawn>) => void) {
  const child = spawn(process.execPath, ["bin/eks-access-audit.js", ...args], {
    env: {
      ...process.env,
      NO_COLOR: "1",
      AWS_ENDPOINT_URL: fake!.url,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "AKIDTEST",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_PROFILE: "",
      AWS_CONFIG_FILE: "/nonexistent",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
      AWS_EC2_METADATA_DISABLED: "true",
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  onStart?.(child);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
}

const LIVE_DEMO = ["--cluster", "demo", "--start", "2026-11-16", "--end", "2026-11-30"];
const WINDOW = [
  "--start",
  "2026-11-16",
  "--end",
  "2026-11-30",
  "--inventory",
  "fixtures/demo/inventory.json",
  "--aws-auth",
  "fixtures/demo/aws-auth.yaml",
];

describe("report --cluster (binary, local endpoint)", () => {
  it("a 7-day report completes through throttling and a capped window with the right totals", async () => {
    await withFake({ startFaults: ["throttle", "limit"], resultFaults: ["5xx"] });
    const r = await run([
      "report",
      "--cluster",
      "demo",
      "--start",
      "2026-11-23",
      "--end",
      "2026-11-30",
      "--format",
      "json",
      "--inventory",
      "fixtures/demo/inventory.json",
      "--window",
      "7d",
      "--row-limit",
      "20",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.cluster.name).toBe("demo");
    const files = JSON.parse(
      (
        await run([
          "report",
          "--input",
          "fixtures/demo/audit",
          "--start",
          "2026-11-23",
          "--end",
          "2026-11-30",
          "--format",
          "json",
        ])
      ).stdout,
    );
    expect(j.requests.total).toBe(files.requests.total);
    expect(j.requests.byPath).toEqual(files.requests.byPath);
    expect(j.insights.logGroup).toBe("/aws/eks/demo/cluster");
    expect(j.insights.windows).toBeGreaterThan(2);
    expect(j.insights.bytesRescanned).toBeGreaterThan(0);
    expect(j.insights.bytesScanned).toBeGreaterThan(j.insights.bytesRescanned);
    expect(r.stderr).toBe("");
  });

  it("a Failed query exits 3 with one line naming the window, and writes no CSV", async () => {
    await withFake({ statusFor: () => "Failed" });
    const out = join(tmp.dir, "failed.csv");
    const r = await run(["report", "--cluster", "demo", ...WINDOW, "--format", "csv", "--out", out]);
    expect(r.code).toBe(3);
    expect(r.stderr.split("\n")[0]).toMatch(
      /^eks-access-audit: Logs Insights query Failed for 2026-11-\d\dT[\d:.]+Z → .* also after retrying in smaller windows — retry later, or narrow the window with --start\/--end or --window$/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("audit logging off: exit 3 with the command that turns it on, no query started", async () => {
    await withFake({ cluster: { name: "demo", auditLogging: false } });
    const r = await run(["report", "--cluster", "demo", ...WINDOW]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/does not send its audit log/);
    expect(r.stderr).toMatch(/aws eks update-cluster-config --region us-east-1 --name demo --logging/);
    expect(fake!.count("StartQuery")).toBe(0);
  });

  it("SIGINT stops every running query, then exits 130", async () => {
    await withFake({ hang: true });
    const r = await run(["report", "--cluster", "demo", ...WINDOW], (child) => {
      const t = setInterval(() => {
        if (fake!.count("StartQuery") >= 4 && fake!.count("GetQueryResults") >= 4) {
          clearInterval(t);
          child.kill("SIGINT");
        }
      }, 20);
    });
    expect(r.code).toBe(130);
    const started = [...fake!.queries.keys()];
    expect(started.length).toBe(4);
    expect([...fake!.stopped].sort()).toEqual(started.sort());
    expect(r.stdout).toBe("");
  });

  it("CSV from the live path parses and matches the file path's rows", async () => {
    await withFake();
    const liveCsv = await run([
      "report",
      "--cluster",
      "demo",
      ...WINDOW,
      "--format",
      "csv",
      "--concurrency",
      "2",
    ]);
    const fileCsv = await run([
      "report",
      "--input",
      "fixtures/demo/audit",
      ...WINDOW.slice(4),
      "--format",
      "csv",
    ]);
    const pick = (csv: string) =>
      (parse(csv, { columns: true }) as Record<string, string>[]).map((r) =>
        [r.principal_arn, r.requests, r.via_aws_auth, r.readiness].join(" "),
      );
    expect(pick(liveCsv.stdout)).toEqual(pick(fileCsv.stdout));
  });

  it("several --cluster: CSV rows per cluster under one header, a JSON array, --fail-on across all", async () => {
    await withFake({ otherClusters: ["demo2"] });
    const csv = await run([
      "report",
      "--cluster",
      "demo",
      "--cluster",
      "demo2",
      ...WINDOW,
      "--format",
      "csv",
      "--fail-on",
      "blocked",
    ]);
    expect(csv.code).toBe(1);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(new Set(rows.map((r) => r.cluster))).toEqual(new Set(["demo", "demo2"]));
    expect(rows.filter((r) => r.cluster === "demo").length).toBe(
      rows.filter((r) => r.cluster === "demo2").length,
    );
    const json = JSON.parse(
      (await run(["report", "--cluster", "demo", "--cluster", "demo2", ...WINDOW, "--format", "json"]))
        .stdout,
    );
    expect(json.map((r: { cluster: { name: string } }) => r.cluster.name)).toEqual(["demo", "demo2"]);
    const one = await run(["plan", "--cluster", "demo", "--cluster", "demo2", ...WINDOW]);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/reads one --cluster at a time/);
  });

  it("classify --cluster prints the groups of identical requests with their counts", async () => {
    await withFake();
    const r = await run([
      "classify",
      "--cluster",
      "demo",
      ...WINDOW,
      "--format",
      "jsonl",
      "--principal",
      "deploy-bot",
    ]);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.every((x) => x.path === "masters" && x.route === "aws-auth")).toBe(true);
    expect(rows.reduce((n, x) => n + x.count, 0)).toBe(56);
    expect(rows.length).toBeLessThan(56);
  });

  it("queries prints the query, the log group and the windows", async () => {
    await withFake();
    const r = await run(["queries", "--cluster", "demo", "--start", "2026-11-23", "--end", "2026-11-30"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("# Log group: /aws/eks/demo/cluster");
    expect(r.stdout).toContain("--start-time 1795392000 --end-time 1795478399");
    expect(r.stdout).toContain("| stats count(*) as requests");
    expect(r.stdout).toContain("`user.extra.arn.0`");
    expect(r.stdout).toContain('parse @message /"authorization\\.k8s\\.io\\/reason":"(?<reason>');
  });
});

describe("inventory, live inventory in report, doctor (binary, local endpoints)", () => {
  const entries = [
    {
      principalArn: "arn:aws:iam::111122223333:user/alice",
      createdAt: "2026-10-01T09:00:00Z",
      policies: [
        {
          policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
          accessScope: { type: "cluster" },
        },
      ],
    },
    {
      principalArn: "arn:aws:iam::111122223333:role/ci-runner",
      createdAt: "2026-11-25T12:00:00Z",
      policies: [
        {
          policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
          accessScope: { type: "cluster" },
        },
      ],
    },
  ];
  const configMap = {
    kind: "ConfigMap",
    data: {
      mapRoles:
        "- rolearn: arn:aws:iam::111122223333:role/deploy-bot\n  username: deploy-bot\n  groups: [system:masters]\n",
    },
  };
  let kube: FakeKube | undefined;
  afterEach(async () => {
    await kube?.close();
    kube = undefined;
  });
  const start = async (o: Partial<FakeOptions> = {}) => {
    kube = await new FakeKube({ configMap }).start();
    return withFake({ entries, cluster: { name: "demo", endpoint: kube.url, caData: TEST_CA_DATA }, ...o });
  };

  it("inventory writes DESIGN.md's inventory JSON, entries and aws-auth included", async () => {
    await start();
    const out = join(tmp.dir, "inventory.json");
    const r = await run(["inventory", "--cluster", "demo", "--out", out]);
    expect(r.code).toBe(0);
    const inv = JSON.parse(readFileSync(out, "utf8"));
    expect(inv.cluster.accessConfig.authenticationMode).toBe("API_AND_CONFIG_MAP");
    expect(inv.accessEntries.map((e: { principalArn: string }) => e.principalArn)).toEqual(
      entries.map((e) => e.principalArn),
    );
    expect(inv.accessEntries[1].associatedAccessPolicies[0].policyArn).toMatch(/AmazonEKSViewPolicy$/);
    expect(inv.awsAuth.mapRoles[0].rolearn).toBe("arn:aws:iam::111122223333:role/deploy-bot");
    expect(kube!.tokens.every((t) => t.ok)).toBe(true);
  });

  it("report --cluster reads the live inventory by default, and not with --no-inventory", async () => {
    await start();
    const withInv = JSON.parse((await run(["report", ...LIVE_DEMO, "--format", "json"])).stdout);
    expect(withInv.cluster).toMatchObject({
      inventory: "live",
      awsAuth: "live",
      authenticationMode: "API_AND_CONFIG_MAP",
    });
    expect(
      withInv.principals.find((p: { principalArn: string }) => p.principalArn.endsWith("role/ci-runner"))
        .readiness,
    ).toBe("at-risk");
    const without = JSON.parse(
      (await run(["report", ...LIVE_DEMO, "--format", "json", "--no-inventory"])).stdout,
    );
    expect(without.cluster).toMatchObject({ inventory: "none", awsAuth: "none" });
  });

  it("plan --cluster prints the steps from the live cluster", async () => {
    await start();
    const r = await run(["plan", ...LIVE_DEMO, "--plan-format", "eksctl"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("kind: ClusterConfig");
    expect(r.stdout).toContain("principalARN: arn:aws:iam::111122223333:role/deploy-bot");
  });

  it("doctor shows who is calling and which calls are denied", async () => {
    await start({ denied: ["logs:GetQueryResults"] });
    const r = await run(["doctor", "--cluster", "demo"]);
    expect(r.code).toBe(3);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^ok\s+sts:GetCallerIdentity\s+arn:aws:iam::111122223333:user\/auditor \(account 111122223333\)$/,
    );
    expect(lines.find((l) => l.includes("eks:DescribeCluster"))).toMatch(/^ok .*audit logging on/);
    expect(lines.find((l) => l.includes("logs:GetQueryResults"))).toMatch(
      /^DENIED .*allow logs:GetQueryResults/,
    );
    expect(lines.find((l) => l.includes("logs:StartQuery"))).toMatch(/^skipped .*billed query/);
    expect(lines.find((l) => l.includes("aws-auth"))).toMatch(/^ok .*1 mapping/);
    expect(fake!.count("StartQuery")).toBe(0);
  });
});

describe("export (binary, local endpoints)", () => {
  it("--dest s3:// writes the week's CSV and Markdown at the documented keys; a rerun replaces them; the trend reads last week from S3", async () => {
    await withFake();
    const args = [
      "export",
      "--input",
      "fixtures/demo/audit",
      "--inventory",
      "fixtures/demo/inventory.json",
      "--aws-auth",
      "fixtures/demo/aws-auth.yaml",
      "--dest",
      "s3://audit-bucket/eks",
    ];
    expect((await run([...args, "--week", "2026-W47"])).code).toBe(0);
    const r = await run([...args, "--week", "2026-W48"]);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe(
      "export demo 2026-W48: 11 principal(s) (3 needs-access-entry, 1 at-risk, 2 blocked, 1 undetermined, 1 dormant, 3 ready) → s3://audit-bucket/eks/demo/2026-W48.csv",
    );
    expect([...fake!.objects.keys()].sort()).toEqual([
      "audit-bucket/eks/demo/2026-W47.csv",
      "audit-bucket/eks/demo/2026-W47.md",
      "audit-bucket/eks/demo/2026-W48.csv",
      "audit-bucket/eks/demo/2026-W48.md",
    ]);
    const csv = fake!.objects.get("audit-bucket/eks/demo/2026-W48.csv")!;
    expect(csv.contentType).toMatch(/^text\/csv/);
    expect(csv.body.startsWith("cluster,principal_arn,principal_type,requests,")).toBe(true);
    expect(fake!.objects.get("audit-bucket/eks/demo/2026-W48.md")!.body).toContain("## Since 2026-W47");
    const puts = fake!.count("s3:PutObject");
    const original = csv.body;
    fake!.objects.set("audit-bucket/eks/demo/2026-W48.csv", { body: "stale", contentType: "text/csv" });
    expect((await run([...args, "--week", "2026-W48", "--fail-on", "needs-access-entry"])).code).toBe(1);
    expect(fake!.count("s3:PutObject")).toBe(puts + 2);
    expect(fake!.objects.get("audit-bucket/eks/demo/2026-W48.csv")!.body).toBe(original);
  });

  it("a fleet cluster with a role assumes it (STS AssumeRole) and calls EKS and Logs with those credentials", async () => {
    await withFake();
    const config = tmp.file(
      "fleet-role.yaml",
      "clusters:\n  - name: demo\n    region: us-east-1\n    roleArn: arn:aws:iam::444455556666:role/eks-access-audit\n",
    );
    const r = await run([
      "export",
      "--config",
      config,
      "--dest",
      join(tmp.dir, "fleet-role"),
      "--week",
      "2026-W48",
      "--no-inventory",
    ]);
    expect(r.code).toBe(0);
    const assumed = fake!.calls.filter((c) => c.target === "sts:AssumeRole");
    expect(assumed.length).toBeGreaterThanOrEqual(1);
    expect(assumed[0]).toMatchObject({
      body: {
        RoleArn: "arn:aws:iam::444455556666:role/eks-access-audit",
        RoleSessionName: "eks-access-audit",
      },
      accessKey: "AKIDTEST",
    });
    const work = fake!.calls.filter((c) => c.target === "eks:DescribeCluster" || c.target === "StartQuery");
    expect(work.length).toBeGreaterThan(1);
    expect(new Set(work.map((c) => c.accessKey))).toEqual(new Set(["ASIAFLEETROLE0000001"]));
  });

  it("a fleet with one failing cluster: the others' files are written, the exit code and the last line say which failed", async () => {
    await withFake();
    const config = tmp.file(
      "fleet.yaml",
      "concurrency: 2\nclusters:\n  - name: demo\n    region: us-east-1\n  - name: ghost\n    region: us-east-1\n",
    );
    const dest = join(tmp.dir, "fleet-out");
    const r = await run([
      "export",
      "--config",
      config,
      "--dest",
      dest,
      "--week",
      "2026-W48",
      "--log-format",
      "json",
    ]);
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split("\n");
    const events = lines.slice(0, 2).map((l) => JSON.parse(l));
    expect(events.map((e) => [e.cluster, e.ok]).sort()).toEqual([
      ["demo", true],
      ["ghost", false],
    ]);
    expect(lines.at(-1)).toMatch(
      /^eks-access-audit: export: 1 of 2 cluster\(s\) failed: ghost \(.*not found.*\)$/,
    );
    expect(existsSync(join(dest, "demo/2026-W48.csv"))).toBe(true);
    expect(existsSync(join(dest, "ghost"))).toBe(false);
  });
});
