import { describe, expect, it } from "vitest";
import { classify } from "../../../src/classify/classify.js";
import { rowOf, rowToRecord } from "../../../src/sources/insights/rows.js";

const row = (fields: Record<string, string>) =>
  rowOf(Object.entries(fields).map(([field, value]) => ({ field, value })));

describe("requests rows → records", () => {
  it("unescapes the reason parsed from the raw event, and reads the groups list", () => {
    const r = rowToRecord(
      row({
        username: "arn:aws:sts::111122223333:assumed-role/dev/",
        "user.uid": "aws-iam-authenticator:111122223333:AROADEV",
        groups: '"developers","system:authenticated"',
        principal: "arn:aws:iam::111122223333:role/dev",
        verb: "patch",
        "objectRef.apiGroup": "apps",
        target: "deployments",
        "objectRef.namespace": "team-a",
        decision: "allow",
        reason:
          'RBAC: allowed by RoleBinding \\"dev/team-a\\" of ClusterRole \\"edit\\" to Group \\"developers\\"',
        requests: "42",
        first_request: "2026-11-24T10:00:00.123456Z",
        last_request: "2026-11-24T11:00:00.123456Z",
        truncated: "0",
      }),
    );
    expect(r.kind).toBe("record");
    if (r.kind !== "record") return;
    expect(r.record).toMatchObject({
      count: 42,
      groups: ["developers", "system:authenticated"],
      resource: "deployments",
      canonicalArn: "arn:aws:iam::111122223333:role/dev",
    });
    expect(r.record.lastTime! - r.record.time!).toBe(3_600_000);
    const c = classify(r.record)!;
    expect(c.path).toBe("rbac");
    expect(c.grant).toMatchObject({ subjectKind: "Group", subject: "developers", binding: "dev/team-a" });
  });
  it("a path target is a non-resource request; a missing reason is the empty reason", () => {
    const r = rowToRecord(
      row({
        username: "admin",
        groups: '"system:masters"',
        principal: "arn:aws:iam::1:user/a",
        verb: "get",
        target: "/apis",
        decision: "allow",
        requests: "3",
        truncated: "0",
      }),
    );
    if (r.kind !== "record") throw new Error("expected a record");
    expect(r.record).toMatchObject({ nonResourcePath: "/apis", resource: "", reason: undefined });
    expect(classify(r.record)!.path).toBe("masters");
  });
  it("cut-off events come back as truncated counts", () => {
    expect(rowToRecord(row({ principal: "arn:aws:iam::1:role/x", requests: "2", truncated: "1" }))).toEqual({
      kind: "truncated",
      principal: "arn:aws:iam::1:role/x",
      count: 2,
      time: undefined,
    });
  });
});
