// Logs Insights queries live in queries/*.cwli, loaded at run time and printable by the CLI.

import { readFileSync } from "node:fs";
import { InputError, messageOf } from "../../errors.js";

export const QUERY_NAMES = ["requests"] as const;
export type QueryName = (typeof QUERY_NAMES)[number];

/** StartQuery's (and the API's default) row cap. */
export const ROW_LIMIT = 10_000;

export interface Query {
  name: QueryName;
  /** The text as sent: the file without its comment header. */
  text: string;
  /** The header comment: what the query returns. */
  description: string;
}

export function loadQuery(name: QueryName): Query {
  const url = new URL(`../../../../queries/${name}.cwli`, import.meta.url);
  let raw: string;
  try {
    raw = readFileSync(url, "utf8");
  } catch (err) {
    // Running from src/ (tests) the file is one level closer.
    try {
      raw = readFileSync(new URL(`../../../queries/${name}.cwli`, import.meta.url), "utf8");
    } catch {
      throw new InputError(`cannot read the ${name} query: ${messageOf(err)}`, "reinstall the package", {
        cause: err,
      });
    }
  }
  const lines = raw.split("\n");
  const description = lines
    .filter((l) => l.startsWith("#"))
    .map((l) => l.replace(/^#\s?/, ""))
    .join("\n");
  const text = lines
    .filter((l) => !l.startsWith("#"))
    .join("\n")
    .trim();
  if (text.length > 10_000) throw new InputError(`the ${name} query is over StartQuery's 10,000 characters`);
  return { name, text, description };
}

export function logGroupOf(cluster: string): string {
  return `/aws/eks/${cluster}/cluster`;
}
