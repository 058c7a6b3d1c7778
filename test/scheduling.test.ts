// docs/scheduling.md: every YAML block parses, and every export command in it is one the CLI accepts.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { CLI_OPTIONS } from "../src/cli-options.js";
import { fleetFrom } from "../src/export/fleet.js";

const doc = readFileSync("docs/scheduling.md", "utf8");
const blocks = (lang: string) =>
  [...doc.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1]!);
const exportFlags = new Set(
  CLI_OPTIONS.filter((o) => o.commands.includes("export")).flatMap((o) =>
    o.flags.split(/[, ]+/).filter((f) => f.startsWith("-")),
  ),
);

/** The export arguments of every command line in the recipes: shell lines, args arrays, ECS overrides. */
function exportCommands(): string[][] {
  const out: string[][] = [];
  for (const line of doc.split("\n")) {
    const shell = /(?:eks-access-audit|eks-access-audit\.js) (export .*)$/.exec(line.trim());
    if (shell) out.push(shell[1]!.split(/\s+/));
    const args = /args: (\[.*\])/.exec(line);
    if (args) out.push(JSON.parse(args[1]!));
    const input = /Input: '(.*)'$/.exec(line.trim());
    if (input) out.push(JSON.parse(input[1]!).containerOverrides[0].command);
  }
  return out;
}

describe("docs/scheduling.md", () => {
  it("every YAML block parses", () => {
    const yamls = blocks("yaml");
    expect(yamls.length).toBeGreaterThanOrEqual(4);
    for (const y of yamls) for (const d of parseAllDocuments(y)) expect(d.errors, y.slice(0, 60)).toEqual([]);
  });
  it("the fleet example is a valid fleet config", () => {
    const fleet = parseAllDocuments(blocks("yaml")[0]!)[0]!.toJS();
    expect(fleetFrom(fleet, "doc").clusters.map((c) => c.name)).toEqual(["prod-eu", "prod-us", "staging"]);
  });
  it("every recipe runs the same export command, with flags the CLI accepts", () => {
    const commands = exportCommands();
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const c of commands) {
      expect(c[0]).toBe("export");
      for (const a of c.filter((x) => x.startsWith("-"))) expect(exportFlags, a).toContain(a);
      expect(c).toContain("--config");
      expect(c).toContain("--dest");
    }
  });
  it("the Dockerfile builds from the lockfile and runs the CLI", () => {
    const docker = readFileSync("Dockerfile", "utf8");
    expect(docker).toMatch(/RUN npm ci/);
    expect(docker).toMatch(/ENTRYPOINT \["node", "\/app\/bin\/eks-access-audit\.js"\]/);
    expect(docker).toMatch(/COPY queries/);
  });
});
