// Parallel readers for large uncompressed logs: the file is cut into line-aligned byte ranges, each
// worker runs the same Analyzer on its ranges, and the states merge. The merge is exact: the one
// cross-range effect (a request's two stages in different ranges) is settled by the leftover pairing.

import { open } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { mergeUsage } from "../../aggregate/aggregator.js";
import { mergeLeftovers } from "../../aggregate/dedupe.js";
import { Analyzer, type RecordFilter } from "../../analyze.js";
import type { InventoryIndex } from "../../inventory/inventory.js";
import type { AuditRecord } from "../../model.js";
import { detectFormat, type Format } from "./formats.js";
import type { InputFile } from "./inputs.js";
import { emptyStats, type InputStats, mergeStats } from "./reader.js";
import {
  type FromWorker,
  processUnit,
  type ReaderState,
  type ToWorker,
  type UnitResult,
  type WorkUnit,
} from "./worker.js";

/** Below this much plain text, worker start-up costs more than it saves. */
export const MIN_PARALLEL_BYTES = 32 * 1024 * 1024;
export const DEFAULT_UNIT_BYTES = 16 * 1024 * 1024;
const YOUNG_GENERATION_MB = 16;

export function defaultReaders(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/** With an explicit unit size (tuning, tests), anything over one unit is worth splitting. */
export function shouldParallelize(files: readonly InputFile[], readers: number, unitBytes?: number): boolean {
  if (readers <= 1) return false;
  const total = files.reduce((n, f) => n + (f.size ?? 0), 0);
  return total >= (unitBytes ?? MIN_PARALLEL_BYTES) && files.every((f) => f.path !== "-");
}

async function sniff(path: string): Promise<{ gzip: boolean; format: Format | undefined }> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    if (head[0] === 0x1f && head[1] === 0x8b) return { gzip: true, format: undefined };
    return { gzip: false, format: detectFormat(head.toString("utf8")) };
  } finally {
    await fh.close();
  }
}

export async function planUnits(files: readonly InputFile[], unitBytes: number): Promise<WorkUnit[]> {
  const units: WorkUnit[] = [];
  for (const f of files) {
    const size = f.size ?? 0;
    const { gzip, format } = await sniff(f.path);
    const splittable = !gzip && (format === "json-lines" || format === "s3-export") && size > unitBytes;
    if (!splittable) {
      units.push({ path: f.path, range: undefined, format: undefined });
      continue;
    }
    for (let start = 0; start < size; start += unitBytes) {
      units.push({ path: f.path, range: { start, end: Math.min(size, start + unitBytes) }, format });
    }
  }
  return units;
}

/**
 * Runs the units on `readers` threads: the main thread is one of them (an idle main thread would cost
 * a whole V8 heap of memory for nothing). Unit results come back in unit order, thread states at the end.
 */
async function runUnits(
  units: WorkUnit[],
  main: Analyzer,
  index: InventoryIndex,
  filter: RecordFilter,
  readers: number,
): Promise<{ results: UnitResult[]; states: ReaderState[] }> {
  const results: UnitResult[] = new Array(units.length);
  const states: ReaderState[] = [];
  let next = 0;
  const take = () => (next < units.length ? next++ : undefined);
  const workers: Worker[] = [];
  const viaWorker = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const feed = () => {
        const i = take();
        worker.postMessage((i === undefined ? { done: true } : { i, unit: units[i]! }) satisfies ToWorker);
      };
      worker.on("message", (msg: FromWorker) => {
        if ("error" in msg) reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
        else if ("state" in msg) {
          states.push(msg.state);
          resolve();
        } else {
          results[msg.i] = msg.result;
          feed();
        }
      });
      worker.on("error", reject);
      feed();
    });
  const onMain = async () => {
    for (let i = take(); i !== undefined; i = take()) results[i] = await processUnit(units[i]!, main);
  };
  try {
    const count = Math.min(readers, units.length) - 1;
    const setup = { inventory: index.source, filter };
    for (let w = 0; w < count; w++) {
      // A small young generation keeps each reader's heap (and the process's RSS) down.
      workers.push(
        new Worker(new URL("./worker.js", import.meta.url), {
          workerData: setup,
          resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
        }),
      );
    }
    await Promise.all([onMain(), ...workers.map(viaWorker)]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { results, states };
}

export async function analyzeInParallel(
  files: readonly InputFile[],
  index: InventoryIndex,
  filter: RecordFilter,
  readers: number,
  unitBytes = DEFAULT_UNIT_BYTES,
): Promise<{ analyzer: Analyzer; stats: InputStats }> {
  const units = await planUnits(files, unitBytes);
  const analyzer = new Analyzer(index, filter);
  const { results, states } = await runUnits(units, analyzer, index, filter, readers);
  const stats = emptyStats();
  const lineOffsets = new Map<string, number>();
  results.forEach((r, i) => {
    const unit = units[i]!;
    // Readers number lines within their range; shift them by the lines of earlier ranges.
    const offset = lineOffsets.get(unit.path) ?? 0;
    if (offset > 0)
      for (const p of r.stats.problems)
        p.where = p.where.replace(/:(\d+)$/, (_, n) => `:${Number(n) + offset}`);
    lineOffsets.set(unit.path, offset + r.lines);
    mergeStats(stats, r.stats);
  });
  const leftovers: AuditRecord[][] = [analyzer.takeLeftovers()];
  for (const s of states) {
    mergeUsage(analyzer.usage, s.usage);
    analyzer.counts.noDecision += s.counts.noDecision;
    analyzer.counts.filteredOut += s.counts.filteredOut;
    analyzer.counts.duplicateStages += s.counts.duplicateStages;
    leftovers.push(s.leftovers);
  }
  const merged = mergeLeftovers(leftovers);
  analyzer.counts.duplicateStages += merged.duplicates;
  analyzer.finish(merged.records);
  return { analyzer, stats };
}
