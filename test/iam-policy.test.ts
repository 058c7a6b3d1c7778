// Every AWS call the tool makes is allowed by docs/iam-policy.json.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("docs/iam-policy.json", () => {
  it("allows each SDK command the source sends", () => {
    const policy = JSON.parse(readFileSync("docs/iam-policy.json", "utf8")) as {
      Statement: { Action: string[] }[];
    };
    const allowed = new Set(policy.Statement.flatMap((s) => s.Action));
    const commands = new Set<string>();
    for (const file of sources("src")) {
      const text = readFileSync(file, "utf8");
      const service = text.includes("client-eks")
        ? "eks"
        : text.includes("client-cloudwatch-logs")
          ? "logs"
          : undefined;
      for (const m of text.matchAll(/new (\w+)Command\(/g)) if (service) commands.add(`${service}:${m[1]}`);
    }
    expect(commands.size).toBeGreaterThan(3);
    for (const c of commands) expect(allowed, c).toContain(c);
  });
});
