// `npm run bench`: throughput and peak memory of `report` on a large synthetic audit log, beside jq
// doing only the classification and group-by on the same file. Prints the figures; exits 1 if a target
// is missed or the parallel and single-reader outputs differ.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { generate } from "./generate.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const OUT = join(ROOT, "bench", "out");
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg("events", 400_000);
const LARGE = arg("large", 3);
const MB = 1024 * 1024;

const JQ_PROGRAM = `reduce inputs as $e ({};
  ($e.annotations // {}) as $a
  | ($a["authorization.k8s.io/reason"] // "") as $r
  | (($e.user.groups // []) as $g
     | if ($a["authorization.k8s.io/decision"] // "") == "forbid" then "denied"
       elif ($r | startswith("EKS Access Policy:")) then "access-policy"
       elif ($r | startswith("RBAC:")) then "rbac"
       elif $r == "" and any($g[]; . == "system:masters") then "masters"
       elif $r == "" and any($g[]; . == "system:nodes") then "node"
       else "other" end) as $path
  | (($e.user.extra.canonicalArn // [$e.user.username])[0] + " " + $path) as $k
  | .[$k] += 1)`;

async function input(events: number): Promise<{ path: string; bytes: number }> {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `audit-${events}.jsonl`);
  if (!existsSync(path)) {
    const t = performance.now();
    await generate(path, events);
    console.log(`generated ${path} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  return { path, bytes: statSync(path).size };
}

function runReport(path: string, readers: number, out: string): { seconds: number; rss: number } {
  const probe = join(OUT, "rss");
  const t = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      "--require",
      join(ROOT, "bench", "rss-probe.cjs"),
      join(ROOT, "bin", "eks-access-audit.js"),
      "report",
      "--input",
      path,
      "--format",
      "json",
      "--out",
      out,
      "--readers",
      String(readers),
    ],
    { env: { ...process.env, RSS_PROBE_OUT: probe }, stdio: ["ignore", "ignore", "inherit"] },
  );
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`report exited ${r.status}`);
  return { seconds, rss: Number(readFileSync(probe, "utf8")) };
}

function runJq(path: string): number | undefined {
  const t = performance.now();
  const r = spawnSync("jq", ["-n", "-c", JQ_PROGRAM, path], { stdio: ["ignore", "ignore", "inherit"] });
  if (r.error) return undefined;
  if (r.status !== 0) throw new Error(`jq exited ${r.status}`);
  return (performance.now() - t) / 1000;
}

function sameReport(a: string, b: string): boolean {
  const load = (p: string) => {
    const j = JSON.parse(readFileSync(p, "utf8"));
    j.generatedAt = "";
    return JSON.stringify(j);
  };
  return load(a) === load(b);
}

const fmt = (n: number, d = 1) => n.toFixed(d).padStart(7);
const readers = Math.min(availableParallelism(), 8);
console.log(`machine: ${availableParallelism()} CPUs, node ${process.version}`);
const { path, bytes } = await input(EVENTS);
console.log(`input: ${path} — ${(bytes / MB).toFixed(1)} MB, ${EVENTS.toLocaleString("en-US")} events`);

// This machine shares its CPUs: every figure is the median of RUNS runs (best in brackets).
const RUNS = arg("runs", 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function repeat<T extends { seconds: number }>(f: () => T): T & { best: number; all: number[] } {
  const runs = Array.from({ length: RUNS }, f);
  const all = runs.map((r) => r.seconds);
  const mid = runs.find((r) => r.seconds === median(all))!;
  return { ...mid, best: Math.min(...all), all };
}
const single = repeat(() => runReport(path, 1, join(OUT, "report-1.json")));
const parallel = repeat(() => runReport(path, readers, join(OUT, `report-${readers}.json`)));
const jqRuns = Array.from({ length: RUNS }, () => runJq(path));
const jq = jqRuns.includes(undefined) ? undefined : median(jqRuns as number[]);
const identical = sameReport(join(OUT, "report-1.json"), join(OUT, `report-${readers}.json`));
const rate = (s: number) => bytes / MB / s;

const runsOf = (all: number[]) => `[runs: ${all.map((s) => s.toFixed(2)).join(", ")} s]`;
console.log(
  `report, 1 reader:        ${fmt(single.seconds, 2)} s ${fmt(rate(single.seconds))} MB/s   peak RSS ${fmt(single.rss / MB, 0)} MB  ${runsOf(single.all)}`,
);
console.log(
  `report, ${readers} readers:       ${fmt(parallel.seconds, 2)} s ${fmt(rate(parallel.seconds))} MB/s   peak RSS ${fmt(parallel.rss / MB, 0)} MB  ${runsOf(parallel.all)}`,
);
if (jq !== undefined)
  console.log(
    `jq classify + group-by:  ${fmt(jq, 2)} s ${fmt(rate(jq))} MB/s                     ${runsOf(jqRuns as number[])}`,
  );
else console.log("jq: not installed (apt-get install jq) — no ratio");
console.log(`output identical (1 vs ${readers} readers): ${identical ? "yes" : "NO"}`);

let ok = identical;
let peak = Math.max(single.rss, parallel.rss);
if (LARGE > 1) {
  const big = await input(EVENTS * LARGE);
  const r = runReport(big.path, readers, join(OUT, "report-large.json"));
  console.log(
    `larger input: ${(big.bytes / MB).toFixed(0)} MB in ${r.seconds.toFixed(2)} s (${(big.bytes / MB / r.seconds).toFixed(1)} MB/s), peak RSS ${(r.rss / MB).toFixed(0)} MB`,
  );
  peak = Math.max(peak, r.rss);
  if (process.argv.includes("--clean")) rmSync(big.path);
}
if (jq !== undefined) {
  const ratio = jq / parallel.seconds;
  console.log(
    `ratio: ${ratio.toFixed(1)}x jq's throughput, medians (target ≥ 5x) — ${ratio >= 5 ? "met" : "MISSED"}; 1 reader: ${(jq / single.seconds).toFixed(1)}x`,
  );
  ok &&= ratio >= 5;
}
console.log(
  `peak RSS: ${(peak / MB).toFixed(0)} MB (target < 300 MB) — ${peak < 300 * MB ? "met" : "MISSED"}`,
);
ok &&= peak < 300 * MB;
process.exitCode = ok ? 0 : 1;
