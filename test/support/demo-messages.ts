// The demo cluster's audit log as CloudWatch holds it: one message per event, with its timestamp.

import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { LogMessage } from "./fake-aws.js";

const STREAM = "kube-apiserver-audit-8b2f3c1d9e7a6b5c4d3e2f1a0b9c8d7e";
const RECEIVED = /"requestReceivedTimestamp":"([^"]+)"/;
const STAGE_TIME = /"stageTimestamp":"([^"]+)"/;

export function demoMessages(): LogMessage[] {
  const out: LogMessage[] = [];
  const dir = new URL("../../fixtures/demo/audit/", import.meta.url);
  let previous = 0;
  for (const line of readFileSync(new URL("2026-W47.jsonl", dir), "utf8").split("\n")) {
    if (!line) continue;
    // A cut-off event has lost its times: CloudWatch still stamps it, close to its neighbours.
    const t = STAGE_TIME.exec(line)?.[1] ?? RECEIVED.exec(line)?.[1];
    previous = t ? Date.parse(t) : previous;
    out.push({ timestamp: previous, message: line, logStream: STREAM });
  }
  for (const line of gunzipSync(readFileSync(new URL("2026-W48-s3-export.gz", dir)))
    .toString("utf8")
    .split("\n")) {
    if (!line) continue;
    const space = line.indexOf(" ");
    out.push({
      timestamp: Date.parse(line.slice(0, space)),
      message: line.slice(space + 1),
      logStream: STREAM,
    });
  }
  const doc = JSON.parse(readFileSync(new URL("2026-11-29-filter-log-events.json", dir), "utf8")) as {
    events: { timestamp: number; message: string; logStreamName: string }[];
  };
  for (const e of doc.events)
    out.push({ timestamp: e.timestamp, message: e.message, logStream: e.logStreamName });
  return out;
}
