// The containers an EKS audit event arrives in, and how to tell them apart from the first bytes.

export const FORMATS = {
  "json-lines": "one audit event per line (kubectl/jq/Fluent Bit exports)",
  "s3-export": "CloudWatch Logs export to S3: `<ISO timestamp> <event>` per line",
  "filter-log-events": '`aws logs filter-log-events` output: `{"events":[{"message":…}]}`',
  "query-results": "`aws logs get-query-results` output with an `@message` field",
  "cwl-subscription": 'CloudWatch Logs subscription / Firehose records: `{"logEvents":[{"message":…}]}`',
  "json-stream": "pretty-printed events, one after another or in a JSON array",
} as const;
export type Format = keyof typeof FORMATS;

const S3_EXPORT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z? [{[]/;
const FIRST_KEY_RE = /^\{\s*"((?:[^"\\]|\\.)*)"/;

const KEY_FORMATS: Record<string, Format> = {
  events: "filter-log-events",
  searchedLogStreams: "filter-log-events",
  nextToken: "filter-log-events",
  nextForwardToken: "filter-log-events",
  nextBackwardToken: "filter-log-events",
  results: "query-results",
  statistics: "query-results",
  status: "query-results",
  queryLanguage: "query-results",
  encryptionKey: "query-results",
  messageType: "cwl-subscription",
  owner: "cwl-subscription",
  logGroup: "cwl-subscription",
  logStream: "cwl-subscription",
  subscriptionFilters: "cwl-subscription",
  logEvents: "cwl-subscription",
};

/** Detects the container from the start of the (decompressed) text; undefined for binary content. */
export function detectFormat(head: string): Format | undefined {
  if (head.includes("\u0000")) return undefined;
  const text = head.replace(/^\uFEFF/, "").trimStart();
  if (S3_EXPORT_RE.test(text)) return "s3-export";
  if (text.startsWith("[")) return "json-stream";
  if (text.startsWith("{")) {
    const key = FIRST_KEY_RE.exec(text)?.[1];
    const byKey = key !== undefined ? KEY_FORMATS[key] : undefined;
    if (byKey) return byKey;
    const nl = text.indexOf("\n");
    const first = (nl < 0 ? text : text.slice(0, nl)).trimEnd();
    // A one-line event (or a cut-off one) means JSON lines; anything else is pretty-printed.
    if (nl < 0 || first.endsWith("}") || first.endsWith("[Truncated...]")) return "json-lines";
    return "json-stream";
  }
  // Unknown text: read it as lines, so each bad line is counted and good ones still count.
  return "json-lines";
}
