// Reads one input (a file, a byte range of one, or stdin) in whatever container it is, streaming, and
// hands each audit event to a sink. Bad records are counted and the first few described.

import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import type { AuditRecord } from "../../model.js";
import { parseTime } from "../../time.js";
import { eventToRecord, parseEventText, truncatedPrefixFacts } from "../event.js";
import { isRequestsRow, rowOf, rowToRecord } from "../insights/rows.js";
import { detectFormat, type Format } from "./formats.js";
import { JsonScanner } from "./json-scanner.js";
import { LineSplitter, MAX_LINE_BYTES } from "./lines.js";

export interface RecordSink {
  record(r: AuditRecord): void;
  truncated(principalArn: string | undefined, time: number | undefined): void;
}

export interface InputProblem {
  where: string;
  why: string;
}

/** Counts that add up: records = events + truncated + malformed + nonAudit. */
export interface InputStats {
  files: number;
  formats: Partial<Record<Format, number>>;
  bytes: number;
  records: number;
  events: number;
  truncated: number;
  malformed: number;
  nonAudit: number;
  problems: InputProblem[];
  /** Log groups named by the data (`@log`, subscription `logGroup`): they give the cluster name. */
  logGroups: string[];
}

export const MAX_PROBLEMS = 5;

export function emptyStats(): InputStats {
  return {
    files: 0,
    formats: {},
    bytes: 0,
    records: 0,
    events: 0,
    truncated: 0,
    malformed: 0,
    nonAudit: 0,
    problems: [],
    logGroups: [],
  };
}

export function mergeStats(into: InputStats, from: InputStats): void {
  into.files += from.files;
  for (const [f, n] of Object.entries(from.formats) as [Format, number][])
    into.formats[f] = (into.formats[f] ?? 0) + n;
  into.bytes += from.bytes;
  into.records += from.records;
  into.events += from.events;
  into.truncated += from.truncated;
  into.malformed += from.malformed;
  into.nonAudit += from.nonAudit;
  for (const p of from.problems) if (into.problems.length < MAX_PROBLEMS) into.problems.push(p);
  for (const g of from.logGroups) noteLogGroup(into, g);
}

function noteLogGroup(stats: InputStats, group: string): void {
  if (!stats.logGroups.includes(group) && stats.logGroups.length < 16) stats.logGroups.push(group);
}

export interface ByteRange {
  /** First byte of the range; a line belongs to the range it starts in. */
  start: number;
  /** One past the last byte at which a line may start. */
  end: number;
}

const TRUNCATED_SUFFIX = "[Truncated...]";
const AUDIT_STREAM_PREFIX = "kube-apiserver-audit";

class InputReader {
  /** Lines or elements read, for `file:line` problem locations. */
  position = 0;

  constructor(
    private readonly name: string,
    private readonly stats: InputStats,
    private readonly sink: RecordSink,
    private readonly lineOffset = 0,
  ) {}

  problem(where: string, why: string): void {
    if (this.stats.problems.length < MAX_PROBLEMS) this.stats.problems.push({ where, why });
  }

  malformed(where: string, why: string): void {
    this.stats.records++;
    this.stats.malformed++;
    this.problem(where, why);
  }

  nonAudit(where: string, why: string): void {
    this.stats.records++;
    this.stats.nonAudit++;
    this.problem(where, why);
  }

  /** One log message: an event, a cut-off event, or junk. */
  message(text: string, where: string, fallbackTime: number | undefined): void {
    const body = text.trimEnd();
    if (body === "") return;
    if (body.endsWith(TRUNCATED_SUFFIX)) {
      this.stats.records++;
      this.stats.truncated++;
      const facts = truncatedPrefixFacts(body);
      this.sink.truncated(facts.arn, facts.time ?? fallbackTime);
      return;
    }
    let value: unknown;
    try {
      value = parseEventText(body);
    } catch {
      this.malformed(where, "not valid JSON");
      return;
    }
    const record = eventToRecord(value, fallbackTime);
    if (!record) {
      this.nonAudit(where, "JSON that is not a Kubernetes audit event");
      return;
    }
    this.stats.records++;
    this.stats.events++;
    this.sink.record(record);
  }

  lineHandler(format: Format) {
    const s3 = format === "s3-export";
    return {
      line: (raw: string) => {
        this.position++;
        const where = `${this.name}:${this.position + this.lineOffset}`;
        if (!s3) {
          this.message(raw, where, undefined);
          return;
        }
        const space = raw.indexOf(" ");
        if (space < 0) {
          if (raw.trim() !== "") this.malformed(where, "expected `<timestamp> <event>`");
          return;
        }
        this.message(raw.slice(space + 1), where, parseTime(raw.slice(0, space)));
      },
      oversized: (bytes: number) => {
        this.position++;
        this.malformed(
          `${this.name}:${this.position + this.lineOffset}`,
          `line of ${bytes} bytes is over the ${MAX_LINE_BYTES}-byte limit`,
        );
      },
    };
  }

  /** The element handler for the whole-document containers. */
  scanner(format: Format, head: string): JsonScanner {
    let logStream: string | undefined;
    let control = false;
    const parse = (text: string, where: string): Record<string, unknown> | unknown[] | undefined => {
      try {
        return JSON.parse(text) as Record<string, unknown>;
      } catch {
        this.malformed(where, "not valid JSON");
        return undefined;
      }
    };
    const fromStream = (stream: unknown, where: string): boolean => {
      if (typeof stream === "string" && !stream.startsWith(AUDIT_STREAM_PREFIX)) {
        this.nonAudit(where, `log stream ${stream} is not an audit stream`);
        return false;
      }
      return true;
    };
    const handler = {
      oversized: (chars: number) => {
        this.position++;
        this.malformed(
          `${this.name}#${this.position}`,
          `element of ${chars} characters is over the size limit`,
        );
      },
      topLevel: () => {
        logStream = undefined;
        control = false;
      },
      scalar: (key: string, value: string) => {
        if (key === "logGroup") noteLogGroup(this.stats, value);
        else if (key === "logStream") logStream = value;
        else if (key === "messageType") control = value === "CONTROL_MESSAGE";
      },
      value: (key: string | undefined, text: string) => {
        this.position++;
        const where = `${this.name}#${this.position}`;
        if (format === "json-stream") {
          this.message(text, where, undefined);
          return;
        }
        if (format === "filter-log-events" && key === "events") {
          const e = parse(text, where) as Record<string, unknown> | undefined;
          if (!e) return;
          if (!fromStream(e.logStreamName, where)) return;
          this.message(
            String(e.message ?? ""),
            where,
            typeof e.timestamp === "number" ? e.timestamp : undefined,
          );
        } else if (format === "cwl-subscription" && key === "logEvents") {
          if (control) {
            this.nonAudit(where, "CloudWatch Logs control message");
            return;
          }
          const e = parse(text, where) as Record<string, unknown> | undefined;
          if (!e || !fromStream(logStream, where)) return;
          this.message(
            String(e.message ?? ""),
            where,
            typeof e.timestamp === "number" ? e.timestamp : undefined,
          );
        } else if (format === "query-results" && key === "results") {
          const row = parse(text, where);
          if (!Array.isArray(row)) return;
          const fields = rowOf(row as { field?: string; value?: string }[]);
          const group = fields.get("@log");
          if (group) noteLogGroup(this.stats, group.slice(group.indexOf(":") + 1));
          if (!fromStream(fields.get("@logStream"), where)) return;
          const message = fields.get("@message");
          if (message === undefined && isRequestsRow(fields)) {
            // A row of our own `requests` query (see `eks-access-audit queries`), run in the console.
            const r = rowToRecord(fields);
            if (r.kind === "truncated") {
              this.stats.records += r.count;
              this.stats.truncated += r.count;
              for (let k = 0; k < r.count; k++) this.sink.truncated(r.principal, r.time);
            } else {
              this.stats.records += r.record.count;
              this.stats.events += r.record.count;
              this.sink.record(r.record);
            }
            return;
          }
          if (message === undefined) {
            this.nonAudit(where, "query result row without an @message field");
            return;
          }
          const ts = fields.get("@timestamp");
          this.message(message, where, ts ? parseTime(ts) : undefined);
        }
      },
    };
    return new JsonScanner(
      format === "json-stream" ? (head.trimStart().startsWith("[") ? 1 : 0) : 2,
      handler,
    );
  }
}

const GZIP_MAGIC = (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const HEAD_BYTES = 64 * 1024;

/** Pulls from an async iterator until `min` bytes (or the end), returning what it read. */
async function peek(it: AsyncIterator<Buffer>, min: number): Promise<{ chunks: Buffer[]; done: boolean }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  while (bytes < min) {
    const next = await it.next();
    if (next.done) return { chunks, done: true };
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(chunk);
    bytes += chunk.length;
  }
  return { chunks, done: false };
}

async function* resume(chunks: Buffer[], it: AsyncIterator<Buffer>, done: boolean): AsyncGenerator<Buffer> {
  yield* chunks;
  if (done) return;
  for (;;) {
    const next = await it.next();
    if (next.done) return;
    yield next.value;
  }
}

/** Undoes gzip (nested too: Firehose objects of CloudWatch's gzip payloads) and returns the head. */
async function decode(
  source: AsyncIterable<Buffer>,
  depth = 0,
): Promise<{ head: Buffer; body: AsyncIterable<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const { chunks, done } = await peek(it, HEAD_BYTES);
  const head = Buffer.concat(chunks);
  const body = resume(chunks, it, done);
  if (depth < 3 && GZIP_MAGIC(head)) {
    const gunzip = createGunzip({ chunkSize: 64 * 1024 });
    const src = Readable.from(body, { objectMode: false });
    src.on("error", (err) => gunzip.destroy(err));
    src.pipe(gunzip);
    return decode(gunzip, depth + 1);
  }
  return { head, body };
}

export interface ReadOptions {
  /** Read only lines that start in this byte range of an uncompressed file (parallel readers). */
  range?: ByteRange;
  /** Added to line numbers in problem locations (the lines of earlier ranges). */
  lineOffset?: number;
  /** Format already detected for the whole file (ranges after the first have no head to detect from). */
  format?: Format;
}

/** Reads one input to the sink, counting into stats. Returns the lines it read (for range offsets). */
export async function readInput(
  path: string,
  stats: InputStats,
  sink: RecordSink,
  options: ReadOptions = {},
): Promise<{ format: Format | undefined; lines: number }> {
  const name = path === "-" ? "<stdin>" : path;
  const reader = new InputReader(name, stats, sink, options.lineOffset ?? 0);
  const range = options.range;
  const raw: Readable =
    path === "-"
      ? process.stdin
      : createReadStream(path, {
          // Small reads: a decoded chunk stays an ordinary young-generation string. Big chunks become
          // large objects that get promoted, and the heap (RSS) then grows with the input (measured).
          highWaterMark: 64 * 1024,
          ...(range ? { start: range.start > 0 ? range.start - 1 : 0 } : {}),
        });
  const counter = { bytes: 0 };
  const rawBody = counting(range ? clipToRange(raw, range) : raw, counter);
  stats.files += range && range.start > 0 ? 0 : 1;
  let format: Format | undefined;
  try {
    const { head, body } = await decode(rawBody);
    format = options.format ?? detectFormat(head.toString("utf8", 0, Math.min(head.length, HEAD_BYTES)));
    if (format === undefined) {
      reader.malformed(name, "binary content, not a log (gzip, JSON or text expected)");
      raw.destroy();
      return { format, lines: 0 };
    }
    stats.formats[format] = (stats.formats[format] ?? 0) + (range && range.start > 0 ? 0 : 1);
    if (format === "json-lines" || format === "s3-export") {
      const splitter = new LineSplitter(reader.lineHandler(format));
      for await (const chunk of body) splitter.push(chunk);
      splitter.end();
    } else {
      const scanner = reader.scanner(format, head.toString("utf8", 0, Math.min(head.length, 1024)));
      const decoder = new StringDecoder("utf8");
      for await (const chunk of body) scanner.feed(decoder.write(chunk));
      scanner.feed(decoder.end());
      if (scanner.unfinished) reader.malformed(name, "the JSON document ends early (cut-off file?)");
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (code.startsWith("Z_") || /unexpected end of file|incorrect header|invalid/i.test(String(err))) {
      reader.malformed(name, "gzip data is truncated or corrupt; the records before the damage were read");
    } else {
      throw err;
    }
  } finally {
    stats.bytes += counter.bytes;
  }
  return { format, lines: reader.position };
}

async function* counting(source: AsyncIterable<Buffer>, counter: { bytes: number }): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    counter.bytes += chunk.length;
    yield chunk;
  }
}

/** Yields the bytes of whole lines that start in [start, end): skips the partial first line, finishes the last. */
async function* clipToRange(source: Readable, range: ByteRange): AsyncGenerator<Buffer> {
  // The stream starts at start-1 so a line starting exactly at `start` is recognised by the newline before it.
  let pos = range.start > 0 ? range.start - 1 : 0;
  let skipping = range.start > 0;
  for await (const value of source) {
    let chunk = value as Buffer;
    if (skipping) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        pos += chunk.length;
        continue;
      }
      skipping = false;
      pos += nl + 1;
      chunk = chunk.subarray(nl + 1);
      // The first whole line starts at or after `end`: it belongs to the next range.
      if (pos >= range.end) return;
    }
    // Past `end`, only the rest of the line already started belongs to this range.
    if (pos + chunk.length > range.end) {
      const from = Math.max(0, range.end - pos);
      const nl = chunk.indexOf(10, from > 0 ? from - 1 : 0);
      if (nl >= 0) {
        yield chunk.subarray(0, nl + 1);
        source.destroy();
        return;
      }
    }
    pos += chunk.length;
    yield chunk;
  }
}
