import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseAwsAuth } from "../../src/inventory/aws-auth.js";

const yaml = `apiVersion: v1
kind: ConfigMap
metadata: { name: aws-auth, namespace: kube-system }
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/nodes
      username: system:node:{{EC2PrivateDNSName}}
      groups: [system:bootstrappers, system:nodes]
  mapUsers: |
    - userarn: arn:aws:iam::111122223333:user/ops
      username: ops
      groups:
        - system:masters
  mapAccounts: |
    - "444455556666"
`;

describe("aws-auth", () => {
  it("reads kubectl -o yaml", () => {
    const a = parseAwsAuth(yaml, "cm.yaml");
    expect(a.mapRoles).toEqual([
      {
        rolearn: "arn:aws:iam::111122223333:role/nodes",
        username: "system:node:{{EC2PrivateDNSName}}",
        groups: ["system:bootstrappers", "system:nodes"],
      },
    ]);
    expect(a.mapUsers[0]?.groups).toEqual(["system:masters"]);
    expect(a.mapAccounts).toEqual(["444455556666"]);
  });
  it("reads kubectl -o json", () => {
    const json = JSON.stringify({
      kind: "ConfigMap",
      data: { mapRoles: "- rolearn: arn:aws:iam::1:role/x\n  groups: [a]\n" },
    });
    expect(parseAwsAuth(json, "cm.json").mapRoles[0]?.rolearn).toBe("arn:aws:iam::1:role/x");
  });
  it("says which key is broken", () => {
    const bad = JSON.stringify({ kind: "ConfigMap", data: { mapRoles: "- rolearn: [unclosed" } });
    expect(() => parseAwsAuth(bad, "cm.json")).toThrow(/cm\.json: data\.mapRoles/);
    expect(() => parseAwsAuth(JSON.stringify({ data: { mapRoles: "- groups: [a]" } }), "cm.json")).toThrow(
      InputError,
    );
  });
});
