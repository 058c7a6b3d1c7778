import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { AuditRecord } from "../../src/model.js";
import { detectFormat } from "../../src/sources/files/formats.js";
import { emptyStats, type InputStats, readInput } from "../../src/sources/files/reader.js";
import { event, jsonl } from "../support/events.js";
import { tempDir } from "../support/tmp.js";

const tmp = tempDir();

async function read(path: string) {
  const records: AuditRecord[] = [];
  const truncated: (string | undefined)[] = [];
  const stats: InputStats = emptyStats();
  const { format } = await readInput(path, stats, {
    record: (r) => records.push(r),
    truncated: (arn) => truncated.push(arn),
  });
  return { records, truncated, stats, format };
}

function balanced(s: InputStats) {
  expect(s.records).toBe(s.events + s.truncated + s.malformed + s.nonAudit);
}

const two = [event({ verb: "get" }), event({ verb: "list" })];

describe("containers, detected from content", () => {
  it("JSON lines", async () => {
    const r = await read(tmp.file("a.log", jsonl(two)));
    expect(r.format).toBe("json-lines");
    expect(r.records.map((x) => x.verb)).toEqual(["get", "list"]);
    balanced(r.stats);
  });

  it("gzip, whatever the name", async () => {
    const r = await read(tmp.file("plain-name.json", gzipSync(jsonl(two))));
    expect(r.format).toBe("json-lines");
    expect(r.records).toHaveLength(2);
  });

  it("CloudWatch Logs S3 export: `<timestamp> <json>` per line, gzip", async () => {
    const lines = two.map((e) => `2026-11-24T10:00:01.000Z ${JSON.stringify(e)}`).join("\n");
    const r = await read(tmp.file("000000.gz", gzipSync(`${lines}\n`)));
    expect(r.format).toBe("s3-export");
    expect(r.records).toHaveLength(2);
  });

  it("aws logs filter-log-events output, skipping other control-plane streams", async () => {
    const doc = {
      events: [
        ...two.map((e, i) => ({
          logStreamName: "kube-apiserver-audit-abc",
          timestamp: 1764000000000 + i,
          message: JSON.stringify(e),
          eventId: String(i),
        })),
        {
          logStreamName: "authenticator-abc",
          timestamp: 1,
          message: 'time="2026" level=info msg="access granted"',
          eventId: "9",
        },
      ],
      searchedLogStreams: [{ logStreamName: "kube-apiserver-audit-abc", searchedCompletely: true }],
    };
    const r = await read(tmp.file("events.json", JSON.stringify(doc, null, 4)));
    expect(r.format).toBe("filter-log-events");
    expect(r.records).toHaveLength(2);
    expect(r.stats.nonAudit).toBe(1);
    balanced(r.stats);
  });

  it("aws logs get-query-results output with @message, and the log group it names", async () => {
    const doc = {
      results: two.map((e) => [
        { field: "@timestamp", value: "2023-07-31 01:58:12.101" },
        { field: "@message", value: JSON.stringify(e) },
        { field: "@logStream", value: "kube-apiserver-audit-96624a2fbc193d5ccd64f9f1ddbebbe3" },
        { field: "@log", value: "466412623878:/aws/eks/eksworkshop-eksctl/cluster" },
      ]),
      statistics: { recordsMatched: 2, recordsScanned: 2, bytesScanned: 100 },
      status: "Complete",
    };
    const r = await read(tmp.file("results.json", JSON.stringify(doc)));
    expect(r.format).toBe("query-results");
    expect(r.records).toHaveLength(2);
    expect(r.stats.logGroups).toEqual(["/aws/eks/eksworkshop-eksctl/cluster"]);
  });

  it("subscription/Firehose records: concatenated, gzip inside gzip, control messages skipped", async () => {
    const record = (events: unknown[]) =>
      JSON.stringify({
        messageType: "DATA_MESSAGE",
        owner: "111122223333",
        logGroup: "/aws/eks/prod/cluster",
        logStream: "kube-apiserver-audit-1",
        subscriptionFilters: ["to-firehose"],
        logEvents: events.map((e, i) => ({
          id: String(i),
          timestamp: 1764000000000,
          message: JSON.stringify(e),
        })),
      });
    const control = JSON.stringify({
      messageType: "CONTROL_MESSAGE",
      owner: "CloudwatchLogs",
      logGroup: "",
      logStream: "",
      subscriptionFilters: [],
      logEvents: [
        { id: "", timestamp: 1, message: "CWL CONTROL MESSAGE: Checking health of destination Firehose." },
      ],
    });
    const payload = gzipSync(gzipSync(record([two[0]]) + control + record([two[1]])));
    const r = await read(tmp.file("firehose-object", payload));
    expect(r.format).toBe("cwl-subscription");
    expect(r.records.map((x) => x.verb)).toEqual(["get", "list"]);
    expect(r.stats.nonAudit).toBe(1);
    expect(r.stats.logGroups).toContain("/aws/eks/prod/cluster");
    balanced(r.stats);
  });

  it("pretty-printed events, alone or in an array", async () => {
    expect((await read(tmp.file("one.json", JSON.stringify(two[0], null, 2)))).records).toHaveLength(1);
    const arr = await read(tmp.file("arr.json", JSON.stringify(two, null, 2)));
    expect(arr.format).toBe("json-stream");
    expect(arr.records).toHaveLength(2);
  });

  it("detects binary content", () => {
    expect(detectFormat("\u0000\u0001PK")).toBeUndefined();
  });
});

describe("bad input is counted, described, and the rest still read", () => {
  it("malformed, non-audit and cut-off lines", async () => {
    const cut = `${JSON.stringify(event({ user: { username: "arn:aws:sts::111122223333:assumed-role/r/s", uid: "x", extra: { canonicalArn: ["arn:aws:iam::111122223333:role/r"] } } })).slice(0, 400)}[Truncated...]`;
    const text = [
      JSON.stringify(two[0]),
      "{not json",
      '{"kind":"Event","apiVersion":"v1","reason":"Scheduled"}',
      cut,
      "",
      JSON.stringify(two[1]),
    ].join("\n");
    const r = await read(tmp.file("mixed.jsonl", text));
    expect(r.records).toHaveLength(2);
    expect(r.stats).toMatchObject({ records: 5, events: 2, malformed: 1, nonAudit: 1, truncated: 1 });
    expect(r.truncated).toEqual(["arn:aws:iam::111122223333:role/r"]);
    expect(r.stats.problems[0]).toEqual({
      where: expect.stringMatching(/mixed\.jsonl:2$/),
      why: "not valid JSON",
    });
    balanced(r.stats);
  });

  it("a line over 1 MiB", async () => {
    const text = `${JSON.stringify(two[0])}\n{"x":"${"a".repeat(1_100_000)}"}\n${JSON.stringify(two[1])}\n`;
    const r = await read(tmp.file("long.jsonl", text));
    expect(r.records).toHaveLength(2);
    expect(r.stats.malformed).toBe(1);
    expect(r.stats.problems[0]?.why).toMatch(/over the 1048576-byte limit/);
  });

  it("truncated gzip keeps what came before the damage", async () => {
    const many = jsonl(Array.from({ length: 200 }, (_, i) => event({ verb: i % 2 ? "get" : "list" })));
    const gz = gzipSync(many);
    const r = await read(tmp.file("cut.gz", gz.subarray(0, Math.floor(gz.length * 0.6))));
    expect(r.records.length).toBeGreaterThan(0);
    expect(r.records.length).toBeLessThan(200);
    expect(r.stats.problems.at(-1)?.why).toMatch(/gzip data is truncated or corrupt/);
  });

  it("binary junk", async () => {
    const r = await read(tmp.file("junk.bin", Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7])));
    expect(r.records).toHaveLength(0);
    expect(r.stats.malformed).toBe(1);
    expect(r.stats.problems[0]?.why).toMatch(/binary/);
  });

  it("a JSON document cut in the middle", async () => {
    const doc = JSON.stringify({
      events: two.map((e) => ({ logStreamName: "kube-apiserver-audit-1", message: JSON.stringify(e) })),
    });
    const r = await read(tmp.file("cut.json", doc.slice(0, doc.length - 30)));
    expect(r.records).toHaveLength(1);
    expect(r.stats.problems.at(-1)?.why).toMatch(/ends early/);
  });
});
