// fleet.yaml: the clusters a scheduled export covers, each with its region and its credentials.

import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { InputError, messageOf } from "../errors.js";

export interface FleetCluster {
  name: string;
  region?: string;
  profile?: string;
  /** Assumed with STS for this cluster (cross-account fleets). */
  roleArn?: string;
  logGroup?: string;
}

export interface Fleet {
  concurrency: number;
  clusters: FleetCluster[];
}

const NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

export function fleetFrom(value: unknown, where: string): Fleet {
  const v = value as { concurrency?: unknown; clusters?: unknown };
  if (!v || typeof v !== "object" || !Array.isArray(v.clusters) || v.clusters.length === 0) {
    throw new InputError(
      `${where}: expected a list under clusters:`,
      "see docs/scheduling.md for the format",
    );
  }
  const clusters = v.clusters.map((c, i) => {
    const x = c as Record<string, unknown>;
    if (!x || typeof x.name !== "string" || !NAME.test(x.name))
      throw new InputError(`${where}: clusters[${i}] needs a valid cluster name`);
    for (const k of ["region", "profile", "roleArn", "logGroup"]) {
      if (x[k] !== undefined && typeof x[k] !== "string")
        throw new InputError(`${where}: clusters[${i}].${k} must be a string`);
    }
    if (x.profile && x.roleArn)
      throw new InputError(`${where}: clusters[${i}] has both profile and roleArn: give one`);
    return x as unknown as FleetCluster;
  });
  const concurrency = v.concurrency === undefined ? 2 : Number(v.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new InputError(`${where}: concurrency must be a positive whole number`);
  return { concurrency, clusters };
}

export async function loadFleet(path: string): Promise<Fleet> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new InputError(`cannot read fleet config ${path}: ${messageOf(err)}`, undefined, { cause: err });
  }
  try {
    return fleetFrom(parse(text), path);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${path}: not valid YAML (${messageOf(err)})`, undefined, { cause: err });
  }
}
