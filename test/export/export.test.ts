import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { runExport } from "../../src/export/export.js";
import { renderTrend, trendFrom } from "../../src/export/trend.js";
import { parseWeek } from "../../src/export/week.js";
import { runReport } from "../../src/index.js";
import { tempDir } from "../support/tmp.js";

const DEMO = {
  inputs: ["fixtures/demo/audit"],
  inventory: "fixtures/demo/inventory.json",
  awsAuth: "fixtures/demo/aws-auth.yaml",
};
const tmp = tempDir();

describe("export to a folder", () => {
  it("writes <dest>/<cluster>/<YYYY>-W<ww>.csv and .md, filtered to the week; a rerun replaces them", async () => {
    const dest = join(tmp.dir, "weekly");
    const [w47] = await runExport({ dest, week: parseWeek("2026-W47"), targets: [DEMO] });
    expect(w47).toMatchObject({
      ok: true,
      cluster: "demo",
      week: "2026-W47",
      files: [join(dest, "demo/2026-W47.csv"), join(dest, "demo/2026-W47.md")],
    });
    const rows = parse(readFileSync(join(dest, "demo/2026-W47.csv"), "utf8"), { columns: true }) as Record<
      string,
      string
    >[];
    for (const r of rows)
      if (r.last_seen)
        expect(r.last_seen < "2026-11-23T00:00:00Z" && (r.first_seen ?? "") >= "2026-11-16T00:00:00Z").toBe(
          true,
        );
    expect(readFileSync(join(dest, "demo/2026-W47.md"), "utf8")).toMatch(
      /No export for 2026-W46 at this destination/,
    );

    const path = join(dest, "demo/2026-W47.csv");
    const first = readFileSync(path, "utf8");
    writeFileSync(path, "stale");
    await runExport({ dest, week: parseWeek("2026-W47"), targets: [DEMO] });
    expect(readFileSync(path, "utf8")).toBe(first);

    const [w48] = await runExport({ dest, week: parseWeek("2026-W48"), targets: [DEMO] });
    expect(w48!.trend?.previousWeek).toBe("2026-W47");
    expect(readFileSync(join(dest, "demo/2026-W48.md"), "utf8")).toMatch(
      /## Since 2026-W47\n\n\| Verdict \| Last week \| This week \| Change \|/,
    );
  });

  it("a cluster that fails leaves no file and does not stop the others", async () => {
    const dest = join(tmp.dir, "partial");
    const results = await runExport({
      dest,
      week: parseWeek("2026-W48"),
      targets: [{ inputs: ["no/such/dir"], clusterName: "ghost" }, DEMO],
    });
    expect(results.map((r) => [r.cluster, r.ok])).toEqual([
      ["ghost", false],
      ["demo", true],
    ]);
    expect(results[0]!.error).toMatch(/cannot read input no\/such\/dir/);
    expect(existsSync(join(dest, "ghost"))).toBe(false);
    expect(existsSync(join(dest, "demo/2026-W48.csv"))).toBe(true);
  });

  it("files with no cluster name ask for --cluster-name", async () => {
    const [r] = await runExport({
      dest: join(tmp.dir, "x"),
      week: parseWeek("2026-W48"),
      targets: [{ inputs: ["fixtures/demo/audit"] }],
    });
    expect(r!.ok).toBe(false);
    expect(r!.error).toMatch(/give --cluster-name/);
  });
});

describe("trend", () => {
  it("two consecutive weeks of the demo, exported with that week's inventory: ci-runner moved to an access entry", async () => {
    const dest = join(tmp.dir, "trend");
    await runExport({
      dest,
      week: parseWeek("2026-W47"),
      targets: [{ ...DEMO, inventory: "fixtures/demo/inventory-2026-11-23.json" }],
    });
    const [w48] = await runExport({ dest, week: parseWeek("2026-W48"), targets: [DEMO] });
    expect(w48!.trend).toMatchObject({
      previousWeek: "2026-W47",
      movedToAccessEntries: ["arn:aws:iam::111122223333:role/ci-runner"],
      newAwsAuthDependents: [],
      regressions: [],
    });
    expect(readFileSync(join(dest, "demo/2026-W48.md"), "utf8")).toContain(
      "| needs-access-entry | 4 | 3 | -1 |",
    );
  });

  it("names who moved to access entries, who newly depends on aws-auth, and who regressed", async () => {
    const report = await runReport({ ...DEMO, now: new Date("2026-12-01T00:00:00Z") });
    const header =
      "cluster,principal_arn,principal_type,requests,via_access_policy,via_aws_auth,via_access_entry_groups,unresolved,denied,first_seen,last_seen,access_policies,usernames,user_agents,access_entry,readiness,recommendation";
    const previous = [
      header,
      "demo,arn:aws:iam::111122223333:user/alice,user,3,0,3,0,0,0,,,,,,no,needs-access-entry,",
      "demo,arn:aws:iam::111122223333:role/ci-runner,role,3,3,0,0,0,0,,,,,,yes,ready,",
      "demo,arn:aws:iam::111122223333:role/retired,role,1,0,1,0,0,0,,,,,,no,needs-access-entry,",
    ].join("\r\n");
    const t = trendFrom(previous, "2026-W47", report);
    expect(t.movedToAccessEntries).toEqual(["arn:aws:iam::111122223333:user/alice"]);
    expect(t.newAwsAuthDependents).toEqual([
      "arn:aws:iam::111122223333:role/demo-node-role",
      "arn:aws:iam::111122223333:role/deploy-bot",
      "arn:aws:iam::111122223333:role/dev-team",
    ]);
    expect(t.regressions).toEqual([
      { principal: "arn:aws:iam::111122223333:role/ci-runner", from: "ready", to: "at-risk" },
    ]);
    expect(t.gone).toEqual(["arn:aws:iam::111122223333:role/retired"]);
    expect(t.verdicts.find((v) => v.verdict === "needs-access-entry")).toEqual({
      verdict: "needs-access-entry",
      before: 2,
      now: 3,
    });
    expect(renderTrend(t)).toContain("| needs-access-entry | 2 | 3 | +1 |");
  });
});
