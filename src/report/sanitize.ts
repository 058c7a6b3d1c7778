// Log text is untrusted: it must not drive a terminal, a spreadsheet or a Markdown renderer.

// C0/C1 controls, line/paragraph separators and bidi overrides (which can reorder what a reader sees).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Control characters shown as visible escapes: safe to print to a terminal. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** A CSV cell that no spreadsheet evaluates as a formula (OWASP CSV injection). */
export function csvCell(text: string): string {
  const safe = printable(text);
  return /^[=+\-@\t\r]/.test(safe) ? `'${safe}` : safe;
}

/** Text for a Markdown table cell: no pipes, no HTML, no code spans, no line breaks. */
export function markdownCell(text: string): string {
  return printable(text)
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/`/g, "\\`")
    .replace(/\*/g, "\\*")
    .replace(/_/g, "\\_")
    .replace(/\[/g, "\\[")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

// What JSON.stringify leaves raw but a terminal acts on: DEL and C1 controls (\x9b is a CSI), line
// separators, and bidi overrides.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const JSON_UNSAFE = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON.stringify whose output is also safe to print: the same value, with those characters escaped. */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    JSON_UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
