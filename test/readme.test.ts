// The README documents the one lists the code is driven by: this keeps them in step.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLI_OPTIONS } from "../src/cli-options.js";
import { AUTH_PATHS, VERDICTS } from "../src/model.js";
import { CSV_COLUMNS } from "../src/report/csv.js";
import { FORMATS } from "../src/sources/files/formats.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const cell = (s: string) => s.replace(/\|/g, "\\|");

describe("README", () => {
  it("has the two commands", () => {
    expect(readme).toContain("npm ci && npm start");
    expect(readme).toContain("npm ci && npm test");
  });
  it("lists every visible option with its description", () => {
    for (const o of CLI_OPTIONS.filter((x) => !x.hidden)) {
      expect(readme).toContain(
        `| \`${cell(o.flags)}\` | ${o.commands.join(", ")} | ${cell(o.description)} |`,
      );
    }
  });
  it("explains every verdict and authorization path as the code does", () => {
    for (const [v, meaning] of Object.entries(VERDICTS))
      expect(readme).toContain(`| \`${v}\` | ${meaning} |`);
    for (const [p, rule] of Object.entries(AUTH_PATHS)) expect(readme).toContain(`| \`${p}\` | ${rule} |`);
  });
  it("names every CSV column and input container", () => {
    for (const c of CSV_COLUMNS) expect(readme).toContain(`\`${c}\``);
    for (const [f, what] of Object.entries(FORMATS)) expect(readme).toContain(`| \`${f}\` | ${what} |`);
  });
});
