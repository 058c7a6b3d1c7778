import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EKSClient } from "@aws-sdk/client-eks";
import { afterEach, describe, expect, it } from "vitest";
import { AwsError } from "../../../src/errors.js";
import { type Report, runReport } from "../../../src/index.js";
import { planWindows } from "../../../src/sources/insights/live.js";
import { demoMessages } from "../../support/demo-messages.js";
import { evaluateRequestsQuery, FakeAws, type FakeOptions } from "../../support/fake-aws.js";
import { tempDir } from "../../support/tmp.js";

const START = Date.parse("2026-11-16T00:00:00Z");
const END = Date.parse("2026-11-30T00:00:00Z");
const tmp = tempDir();
const DEMO = { inventory: "fixtures/demo/inventory.json", awsAuth: "fixtures/demo/aws-auth.yaml" };
let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function live(
  options: Partial<FakeOptions>,
  extra: { windowMs?: number; rowLimit?: number; signal?: AbortSignal } = {},
) {
  fake = await new FakeAws({ messages: demoMessages(), cluster: { name: "demo" }, ...options }).start();
  const config = {
    endpoint: fake.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
    maxAttempts: 1,
  };
  return runReport({
    inputs: [],
    ...DEMO,
    filter: { start: START, end: END },
    now: new Date("2026-12-01T00:00:00Z"),
    live: {
      cluster: "demo",
      clients: { logs: new CloudWatchLogsClient(config), eks: new EKSClient(config) },
      pollMs: { first: 5, max: 20 },
      backoffMs: 5,
      windowMs: extra.windowMs ?? 86_400_000,
      ...(extra.rowLimit ? { rowLimit: extra.rowLimit } : {}),
      ...(extra.signal ? { signal: extra.signal } : {}),
    },
  });
}

/** What must agree between the file and the live paths (usernames differ: live cuts session names). */
function meaning(r: Report) {
  return {
    requests: r.requests,
    verdicts: r.verdicts,
    clusterVerdict: r.clusterVerdict,
    principals: r.principals.map(({ usernames: _u, ...p }) => p),
  };
}

describe("report --cluster through Logs Insights", () => {
  it("means exactly what the files mean (parity on the demo cluster), transferring rows, not events", async () => {
    const files = await runReport({
      inputs: ["fixtures/demo/audit"],
      ...DEMO,
      now: new Date("2026-12-01T00:00:00Z"),
    });
    const r = await live({ runningPolls: 2 }, { windowMs: 7 * 86_400_000 });
    expect(meaning(r)).toEqual(meaning(files));
    const i = r.insights!;
    expect(i.rows).toBeLessThan(i.recordsMatched / 3);
    expect(i.queries).toBe(i.windows);
    expect(i.bytesRescanned).toBe(0);
    expect(fake!.count("StartQuery")).toBe(i.queries);
    expect(fake!.calls.find((c) => c.target === "StartQuery")?.body).toMatchObject({
      logGroupIdentifiers: ["/aws/eks/demo/cluster"],
      limit: 10000,
    });
    console.log(
      `parity fixture: ${i.rows} rows transferred for ${i.recordsMatched} records matched in ${i.queries} queries`,
    );
  });

  it("gives the same meaning with daily windows", async () => {
    const files = await runReport({
      inputs: ["fixtures/demo/audit"],
      ...DEMO,
      now: new Date("2026-12-01T00:00:00Z"),
    });
    expect(meaning(await live({}))).toEqual(meaning(files));
  });

  it("the same rows saved with `aws logs get-query-results` read back as --input", async () => {
    const files = await runReport({
      inputs: ["fixtures/demo/audit"],
      ...DEMO,
      now: new Date("2026-12-01T00:00:00Z"),
    });
    const cut = Date.parse("2026-11-25T12:00:00Z") / 1000;
    const parts = [
      evaluateRequestsQuery(demoMessages(), START / 1000, cut - 1),
      evaluateRequestsQuery(demoMessages(), cut, END / 1000 - 1),
    ];
    const doc = {
      results: parts.flatMap((p) => p.rows),
      statistics: parts[0]!.statistics,
      status: "Complete",
    };
    const path = tmp.file("query-results.json", JSON.stringify(doc, null, 2));
    const r = await runReport({ inputs: [path], ...DEMO, now: new Date("2026-12-01T00:00:00Z") });
    expect(r.input.formats).toEqual({ "query-results": 1 });
    expect(meaning(r)).toEqual(meaning(files));
  });

  it("cuts windows at access entries' createdAt, so each row is wholly before or after", () => {
    const cut = Date.parse("2026-11-25T12:00:00Z");
    const w = planWindows(START, END, 7 * 86_400_000, [cut]);
    expect(w.map((x) => x.end + 1)).toContain(cut / 1000);
    for (let k = 1; k < w.length; k++) expect(w[k]!.start).toBe(w[k - 1]!.end + 1);
  });

  it("rides out throttling, the query quota and 5xx", async () => {
    const r = await live({
      startFaults: ["throttle", "limit", "5xx", "throttle"],
      resultFaults: ["5xx", "throttle"],
    });
    expect(r.requests.total).toBe(333);
    expect(fake!.count("StartQuery")).toBe(r.insights!.queries + 4);
  });

  it("splits a window that returns the row cap and merges the halves exactly", async () => {
    const whole = await live({}, { windowMs: 14 * 86_400_000 });
    await fake!.close();
    const capped = await live({}, { windowMs: 14 * 86_400_000, rowLimit: 10 });
    expect(capped.insights!.windows).toBeGreaterThan(whole.insights!.windows);
    expect(capped.insights!.bytesRescanned).toBeGreaterThan(0);
    expect(meaning(capped)).toEqual(meaning(whole));
  });

  it("retries a Failed query once in smaller windows", async () => {
    const r = await live(
      { statusFor: (w, _attempt) => (w.end - w.start > 5 * 86_400 ? "Failed" : undefined) },
      { windowMs: 7 * 86_400_000 },
    );
    expect(r.requests.total).toBe(333);
  });

  it("ends the run with one line when a window fails again (Timeout)", async () => {
    const err = await live({ statusFor: () => "Timeout" }).catch((e) => e);
    expect(err).toBeInstanceOf(AwsError);
    expect(err.message).toMatch(
      /Logs Insights query Timeout for 2026-11-\d\dT.* also after retrying in smaller windows/,
    );
    expect(err.exitCode).toBe(3);
  });

  it("refuses, with the fix, when the cluster does not log its audit", async () => {
    const err = await live({ cluster: { name: "demo", auditLogging: false } }).catch((e) => e);
    expect(err).toBeInstanceOf(AwsError);
    expect(err.message).toMatch(/does not send its audit log/);
    expect(err.hint).toMatch(/aws eks update-cluster-config --region us-east-1 --name demo --logging/);
    expect(fake!.count("StartQuery")).toBe(0);
  });

  it("names an unknown cluster", async () => {
    fake = await new FakeAws({ messages: [], cluster: { name: "other" } }).start();
    const config = {
      endpoint: fake.url,
      region: "us-east-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      maxAttempts: 1,
    };
    const err = await runReport({
      inputs: [],
      live: {
        cluster: "demo",
        clients: { logs: new CloudWatchLogsClient(config), eks: new EKSClient(config) },
      },
    }).catch((e) => e);
    expect(err.message).toMatch(/eks:DescribeCluster: not found — No cluster found for name: demo/);
  });
});
