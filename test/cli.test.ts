// Runs the built binary (npm test builds first), as a user or a scheduled job would.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { event, jsonl, roleUser } from "./support/events.js";
import { tempDir } from "./support/tmp.js";

const BIN = "bin/eks-access-audit.js";
const DEMO = [
  "--input",
  "fixtures/demo/audit",
  "--inventory",
  "fixtures/demo/inventory.json",
  "--aws-auth",
  "fixtures/demo/aws-auth.yaml",
];
const tmp = tempDir();

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    ...(input !== undefined ? { input } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("report", () => {
  it("prints the demo report as CSV that parses, with every verdict", () => {
    const r = cli(["report", ...DEMO, "--format", "csv"]);
    expect(r.code).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(new Set(rows.map((x) => x.readiness))).toEqual(
      new Set(["needs-access-entry", "at-risk", "blocked", "undetermined", "dormant", "ready"]),
    );
    expect(rows.find((x) => x.principal_arn?.endsWith("role/deploy-bot"))).toMatchObject({
      via_aws_auth: "56",
      readiness: "needs-access-entry",
    });
  });

  it("JSON totals add up: records and events", () => {
    const r = cli(["report", ...DEMO, "--format", "json"]);
    const j = JSON.parse(r.stdout);
    const i = j.input;
    expect(i.records).toBe(i.events + i.truncated + i.malformed + i.nonAudit);
    expect(i.events).toBe(i.requests + i.duplicateStages + i.noDecision + i.filteredOut);
    expect(j.requests.total).toBe(i.requests);
  });

  it("--fail-on exits 1 after printing; --only filters rows", () => {
    const r = cli([
      "report",
      ...DEMO,
      "--format",
      "json",
      "--fail-on",
      "needs-access-entry",
      "--only",
      "dormant",
    ]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.principals.map((p: { readiness: string }) => p.readiness)).toEqual(["dormant"]);
    expect(cli(["report", ...DEMO, "--format", "json", "--fail-on", "blocked,at-risk"]).code).toBe(1);
    expect(
      cli([
        "report",
        "--input",
        "fixtures/demo/audit",
        "--principal",
        "alice",
        "--fail-on",
        "needs-access-entry",
        "--format",
        "csv",
      ]).code,
    ).toBe(0);
  });

  it("--start/--end, --principal and --agent filter requests", () => {
    const r = cli([
      "report",
      ...DEMO,
      "--format",
      "json",
      "--start",
      "2026-11-23",
      "--end",
      "2026-11-30T00:00:00Z",
      "--agent",
      "kubectl",
    ]);
    const j = JSON.parse(r.stdout);
    expect(j.window.start).toBe("2026-11-23T00:00:00.000Z");
    expect(j.window.firstRequest >= "2026-11-23").toBe(true);
    expect(j.input.filteredOut).toBeGreaterThan(0);
    const seen = j.principals
      .filter((p: { requests: number }) => p.requests > 0)
      .map((p: { principalArn: string }) => p.principalArn);
    expect(seen).not.toContain("arn:aws:iam::111122223333:role/deploy-bot");
    const one = JSON.parse(cli(["report", ...DEMO, "--format", "json", "--principal", "DEV-TEAM"]).stdout);
    expect(
      one.principals
        .filter((p: { requests: number }) => p.requests > 0)
        .map((p: { principalArn: string }) => p.principalArn),
    ).toEqual(["arn:aws:iam::111122223333:role/dev-team"]);
  });

  it("--out writes the file atomically and leaves no temp file", () => {
    const out = join(tmp.dir, "report.csv");
    const r = cli(["report", ...DEMO, "--format", "csv", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(readFileSync(out, "utf8")).toMatch(/^cluster,principal_arn/);
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("reads stdin with -", () => {
    const r = cli(
      ["report", "--input", "-", "--format", "json"],
      jsonl([event({ user: roleUser("piped", { groups: ["system:masters"] }) })]),
    );
    expect(JSON.parse(r.stdout).principals[0].principalArn).toBe("arn:aws:iam::111122223333:role/piped");
  });

  it("parallel readers give the same report as one reader", () => {
    const one = JSON.parse(cli(["report", ...DEMO, "--format", "json", "--readers", "1"]).stdout);
    const many = JSON.parse(
      cli(["report", ...DEMO, "--format", "json", "--readers", "3", "--unit-bytes", "4096"]).stdout,
    );
    one.generatedAt = many.generatedAt = "";
    expect(many).toEqual(one);
  });
});

describe("untrusted text and bad input", () => {
  it("neutralises formulas in CSV and control characters on the terminal", () => {
    const evil = jsonl([
      event({
        user: roleUser("x", { groups: ["system:masters"] }),
        userAgent: '=HYPERLINK("http://evil","click")\u001b]0;pwned\u0007',
      }),
    ]);
    const input = tmp.file("evil.jsonl", evil);
    const csv = cli(["report", "--input", input, "--format", "csv"]).stdout;
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows[0]!.user_agents?.startsWith("'=HYPERLINK")).toBe(true);
    expect(csv).not.toContain("\u001b");
    const classify = cli(["classify", "--input", input]).stdout;
    expect(classify).not.toContain("\u001b");
    expect(cli(["report", "--input", input]).stdout).not.toContain("\u0007");
  });

  it("counts and reports bad lines; --strict turns them into exit 2", () => {
    const input = tmp.file("bad.jsonl", `${JSON.stringify(event())}\n{oops\n`);
    const r = cli(["report", "--input", input, "--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).input.malformed).toBe(1);
    expect(r.stderr).toMatch(/bad\.jsonl:2: not valid JSON/);
    const strict = cli([
      "report",
      "--input",
      input,
      "--strict",
      "--format",
      "csv",
      "--out",
      join(tmp.dir, "strict.csv"),
    ]);
    expect(strict.code).toBe(2);
    expect(strict.stderr.split("\n")[0]).toMatch(/--strict: 1 malformed .*bad\.jsonl:2/);
    expect(existsSync(join(tmp.dir, "strict.csv"))).toBe(false);
  });

  it("a missing path is one line and exit 2", () => {
    const r = cli(["report", "--input", "no/such/file.jsonl"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "eks-access-audit: cannot read input no/such/file.jsonl: no such file or directory — check the --input path\n",
    );
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it("bad flags are usage errors (exit 2)", () => {
    expect(cli(["report", ...DEMO, "--format", "xml"]).code).toBe(2);
    expect(cli(["report", ...DEMO, "--fail-on", "nope"]).code).toBe(2);
    expect(cli(["report", ...DEMO, "--since", "7 days"]).code).toBe(2);
    expect(cli(["report", "--bogus"]).code).toBe(2);
  });

  it("an invalid inventory names the file and the field", () => {
    const inv = tmp.file("inv.json", JSON.stringify({ accessEntries: [{ principalArn: 1 }] }));
    const r = cli(["report", "--input", "fixtures/demo/audit", "--inventory", inv]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/inv\.json: accessEntries\[0\]: each access entry needs a string principalArn/);
  });
});

describe("classify", () => {
  it("prints one JSON line per request, counting a watch's two stages once", () => {
    const r = cli(["classify", ...DEMO, "--format", "jsonl", "--principal", "deploy-bot"]);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const watches = rows.filter((x) => x.verb === "watch");
    expect(watches).toHaveLength(14);
    expect(new Set(rows.map((x) => `${x.path}/${x.route}`))).toEqual(new Set(["masters/aws-auth"]));
  });
  it("shows which binding let a request in", () => {
    const r = cli(["classify", ...DEMO, "--principal", "dev-team"]);
    expect(r.stdout.split("\n")[0]).toBe(
      "TIME\tPRINCIPAL\tUSERNAME\tVERB\tRESOURCE\tNAMESPACE\tDECISION\tPATH\tROUTE\tGRANT\tCOUNT",
    );
    expect(r.stdout).toContain("RoleBinding developers-edit/team-a → Group developers");
  });
});
