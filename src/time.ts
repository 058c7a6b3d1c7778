// Times as EKS and CloudWatch write them: ISO 8601, or `2023-07-31 01:58:12.101` (UTC, no zone).

const TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch milliseconds, or undefined when the text is not a time we know. */
export function parseTime(text: string): number | undefined {
  // Fast path for the event's own `2024-08-24T14:27:07.461683Z` (V8 reads any fraction length).
  if (
    text.length >= 20 &&
    text.charCodeAt(10) === 84 &&
    text.charCodeAt(text.length - 1) === 90 &&
    text.charCodeAt(19) !== 43
  ) {
    const t = Date.parse(text);
    if (!Number.isNaN(t)) return t;
  }
  const m = TIME_RE.exec(text);
  if (!m) return undefined;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
  let t = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    ms,
  );
  const zone = m[8];
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0");
    t -= sign * offset * 60_000;
  }
  return Number.isFinite(t) ? t : undefined;
}

/** UTC ISO 8601 with milliseconds, the report's one time format. */
export function isoTime(ms: number | undefined): string {
  return ms === undefined ? "" : new Date(ms).toISOString();
}

const DURATION_RE = /^(\d+)\s*(m|min|h|d|w)$/i;
const UNIT_MS: Record<string, number> = {
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `30m`, `12h`, `7d`, `2w` → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_RE.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * (UNIT_MS[m[2]!.toLowerCase()] ?? 0);
}
