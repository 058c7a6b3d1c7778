// The package's own name and version, read once from package.json beside dist/ or src/.

import { readFileSync } from "node:fs";

function load(): { name: string; version: string } {
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "eks-access-audit") return { name: pkg.name, version: pkg.version ?? "0.0.0" };
    } catch {
      // try the next location
    }
  }
  return { name: "eks-access-audit", version: "0.0.0" };
}

export const TOOL = load();
