// The aws-auth ConfigMap as `kubectl get cm aws-auth -n kube-system -o yaml|json` prints it.

import { parse as parseYaml } from "yaml";
import { InputError, messageOf } from "../errors.js";
import type { AwsAuth, AwsAuthRoleMapping, AwsAuthUserMapping } from "./model.js";

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function parseDocument(text: string, where: string): unknown {
  try {
    return parseYaml(text);
  } catch (err) {
    throw new InputError(`${where}: not valid YAML or JSON (${messageOf(err)})`, undefined, { cause: err });
  }
}

/** A ConfigMap key's value is itself a YAML string; an already-parsed list is accepted too. */
function listOf(value: unknown, key: string, where: string): unknown[] {
  if (value === undefined || value === null || value === "") return [];
  const parsed = typeof value === "string" ? parseDocument(value, `${where}: data.${key}`) : value;
  if (parsed === null || parsed === undefined) return [];
  if (!Array.isArray(parsed)) throw new InputError(`${where}: data.${key} is not a list`);
  return parsed;
}

function groupsOf(v: unknown, where: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((g) => typeof g === "string")) {
    throw new InputError(`${where}: groups must be a list of strings`);
  }
  return v as string[];
}

function mapping<K extends "rolearn" | "userarn">(item: unknown, arnKey: K, where: string) {
  if (!isObject(item) || typeof item[arnKey] !== "string") {
    throw new InputError(`${where}: each entry needs a string ${arnKey}`);
  }
  const out: Json = { [arnKey]: (item[arnKey] as string).trim() };
  if (typeof item.username === "string") out.username = item.username;
  const groups = groupsOf(item.groups, where);
  if (groups) out.groups = groups;
  return out;
}

/** Parses the ConfigMap (or a bare `{mapRoles, mapUsers, mapAccounts}` object) into AwsAuth. */
export function awsAuthFrom(value: unknown, where: string): AwsAuth {
  if (!isObject(value)) throw new InputError(`${where}: expected the aws-auth ConfigMap (an object)`);
  let data: Json = value;
  if (value.kind === "ConfigMap" || isObject(value.data)) {
    if (!isObject(value.data)) throw new InputError(`${where}: the ConfigMap has no data`);
    data = value.data;
  }
  const mapRoles = listOf(data.mapRoles, "mapRoles", where).map(
    (r, i) => mapping(r, "rolearn", `${where}: mapRoles[${i}]`) as unknown as AwsAuthRoleMapping,
  );
  const mapUsers = listOf(data.mapUsers, "mapUsers", where).map(
    (u, i) => mapping(u, "userarn", `${where}: mapUsers[${i}]`) as unknown as AwsAuthUserMapping,
  );
  const mapAccounts = listOf(data.mapAccounts, "mapAccounts", where).map((a, i) => {
    if (typeof a !== "string" && typeof a !== "number") {
      throw new InputError(`${where}: mapAccounts[${i}] is not an account ID`);
    }
    return String(a).trim();
  });
  return { mapRoles, mapUsers, mapAccounts };
}

export function parseAwsAuth(text: string, where: string): AwsAuth {
  return awsAuthFrom(parseDocument(text, where), where);
}
