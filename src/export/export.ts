// The weekly export: for each cluster, the report for one ISO week as CSV (the contract) and a Markdown
// summary with the week-over-week trend, at <dest>/<cluster>/<YYYY>-W<ww>.{csv,md}. One cluster's failure
// never loses the others' files.

import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EKSClient } from "@aws-sdk/client-eks";
import type { S3Client } from "@aws-sdk/client-s3";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { AuditError, messageOf, UsageError } from "../errors.js";
import { type LiveSource, type ReportOptions, runReport } from "../index.js";
import type { Verdict } from "../model.js";
import { renderCsv } from "../report/csv.js";
import { renderMarkdown } from "../report/markdown.js";
import { mapLimit } from "../sources/retry.js";
import { destinationOf } from "./destination.js";
import type { FleetCluster } from "./fleet.js";
import { renderTrend, type Trend, trendFrom } from "./trend.js";
import { formatWeek, type IsoWeek, previousWeek, weekRange } from "./week.js";

/** One cluster to export: live, or from files (with the name to file it under). */
export type ExportTarget = Omit<ReportOptions, "filter" | "only" | "now">;

export interface ClusterExport {
  cluster: string;
  week: string;
  ok: boolean;
  error?: string;
  files: string[];
  principals?: number;
  verdicts?: Record<Verdict, number>;
  trend?: Trend;
}

export interface ExportOptions {
  dest: string;
  week: IsoWeek;
  targets: ExportTarget[];
  concurrency?: number;
  now?: Date;
  s3?: S3Client;
  onCluster?: (result: ClusterExport) => void;
}

export function targetForFleetCluster(c: FleetCluster, base: Partial<LiveSource>): ExportTarget {
  const credentials = c.roleArn
    ? fromTemporaryCredentials({
        params: { RoleArn: c.roleArn, RoleSessionName: "eks-access-audit" },
        ...(c.region ? { clientConfig: { region: c.region } } : {}),
      })
    : undefined;
  const config = {
    ...(c.region ? { region: c.region } : {}),
    ...(c.profile ? { profile: c.profile } : {}),
    ...(credentials ? { credentials } : {}),
  };
  return {
    inputs: [],
    live: {
      ...base,
      cluster: c.name,
      region: c.region,
      profile: c.profile,
      logGroup: c.logGroup,
      clients: { logs: new CloudWatchLogsClient(config), eks: new EKSClient(config) },
    },
  };
}

async function exportOne(target: ExportTarget, o: ExportOptions): Promise<ClusterExport> {
  const week = formatWeek(o.week);
  const range = weekRange(o.week);
  let cluster = target.clusterName ?? target.live?.cluster ?? "?";
  try {
    const report = await runReport({
      ...target,
      filter: { start: range.start, end: range.end },
      ...(o.now ? { now: o.now } : {}),
    });
    cluster = report.cluster.name;
    if (cluster === "unknown") {
      throw new UsageError(
        "the files do not say which cluster they are from",
        "give --cluster-name (or an inventory that names it)",
      );
    }
    const dest = destinationOf(o.dest, o.s3);
    const previous = formatWeek(previousWeek(o.week));
    const before = await dest.read(`${cluster}/${previous}.csv`);
    const trend = before !== undefined ? trendFrom(before, previous, report) : undefined;
    const csvKey = `${cluster}/${week}.csv`;
    const mdKey = `${cluster}/${week}.md`;
    const markdown = `${renderMarkdown(report).trimEnd()}\n\n${trend ? renderTrend(trend) : `## Since ${previous}\n\nNo export for ${previous} at this destination: no trend yet.\n`}`;
    await dest.write(csvKey, renderCsv(report), "text/csv; charset=utf-8");
    await dest.write(mdKey, markdown, "text/markdown; charset=utf-8");
    return {
      cluster,
      week,
      ok: true,
      files: [dest.where(csvKey), dest.where(mdKey)],
      principals: report.principals.length,
      verdicts: report.verdicts,
      ...(trend ? { trend } : {}),
    };
  } catch (err) {
    const error = err instanceof AuditError && err.hint ? `${err.message} (${err.hint})` : messageOf(err);
    return { cluster, week, ok: false, error, files: [] };
  }
}

export async function runExport(o: ExportOptions): Promise<ClusterExport[]> {
  return mapLimit(o.targets, o.concurrency ?? 2, async (t) => {
    const r = await exportOne(t, o);
    o.onCluster?.(r);
    return r;
  });
}
