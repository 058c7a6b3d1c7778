// Every AWS call the tool makes is allowed by docs/iam-policy.json.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

const PACKAGES = [
  ["client-eks", "eks"],
  ["client-cloudwatch-logs", "logs"],
  ["client-sts", "sts"],
] as const;

describe("docs/iam-policy.json", () => {
  it("allows each SDK command the source sends", () => {
    const policy = JSON.parse(readFileSync("docs/iam-policy.json", "utf8")) as {
      Statement: { Action: string[] }[];
    };
    const allowed = new Set(policy.Statement.flatMap((s) => s.Action));
    const commands = new Set<string>();
    for (const file of sources("src")) {
      const text = readFileSync(file, "utf8");
      // Each command class is imported from its own service's client package.
      for (const [pkg, service] of PACKAGES) {
        const imported = new RegExp(`import \\{([^}]*)\\} from "@aws-sdk/${pkg}"`).exec(text)?.[1] ?? "";
        for (const m of imported.matchAll(/(\w+)Command\b/g)) {
          if (text.includes(`new ${m[1]}Command(`)) commands.add(`${service}:${m[1]}`);
        }
      }
    }
    expect(commands.size).toBeGreaterThan(6);
    for (const c of commands) expect(allowed, c).toContain(c);
  });
});
