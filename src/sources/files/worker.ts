// A parallel reader thread: one Analyzer across all the units it is given, so its state is merged
// once; per-unit input stats come back as each unit finishes (problem lines are numbered per unit).

import { parentPort, workerData } from "node:worker_threads";
import type { UsageState } from "../../aggregate/aggregator.js";
import { type AnalysisCounts, Analyzer, type RecordFilter } from "../../analyze.js";
import { InventoryIndex } from "../../inventory/inventory.js";
import type { Inventory } from "../../inventory/model.js";
import type { AuditRecord } from "../../model.js";
import type { Format } from "./formats.js";
import { type ByteRange, emptyStats, type InputStats, readInput } from "./reader.js";

export interface WorkUnit {
  path: string;
  range: ByteRange | undefined;
  format: Format | undefined;
}

export interface UnitResult {
  stats: InputStats;
  lines: number;
}

/** What a reader thread hands back at the end. */
export interface ReaderState {
  usage: UsageState;
  counts: AnalysisCounts;
  leftovers: AuditRecord[];
}

/** Reads one unit into the thread's Analyzer; the main thread and the workers both run this. */
export async function processUnit(unit: WorkUnit, analyzer: Analyzer): Promise<UnitResult> {
  const stats = emptyStats();
  const { lines } = await readInput(unit.path, stats, analyzer, {
    ...(unit.range ? { range: unit.range } : {}),
    ...(unit.format ? { format: unit.format } : {}),
  });
  return { stats, lines };
}

export type ToWorker = { i: number; unit: WorkUnit } | { done: true };
export type FromWorker =
  | { i: number; result: UnitResult }
  | { state: ReaderState }
  | { error: { message: string; code?: string | undefined } };

if (parentPort) {
  const port = parentPort;
  const setup = workerData as { inventory: Inventory | undefined; filter: RecordFilter };
  const analyzer = new Analyzer(new InventoryIndex(setup.inventory), setup.filter);
  port.on("message", async (msg: ToWorker) => {
    try {
      if ("done" in msg) {
        const state: ReaderState = {
          usage: analyzer.usage,
          counts: analyzer.counts,
          leftovers: analyzer.takeLeftovers(),
        };
        port.postMessage({ state } satisfies FromWorker);
        return;
      }
      port.postMessage({ i: msg.i, result: await processUnit(msg.unit, analyzer) } satisfies FromWorker);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      port.postMessage({ error: { message: e.message, code: e.code } } satisfies FromWorker);
    }
  });
}
