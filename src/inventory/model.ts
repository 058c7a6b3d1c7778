// What the cluster says about access: field names are the EKS API's own.

import type { AuthenticationMode } from "../model.js";

export interface AccessScope {
  type: "cluster" | "namespace";
  namespaces?: string[];
}

export interface AssociatedAccessPolicy {
  policyArn: string;
  accessScope: AccessScope;
  associatedAt?: string;
  modifiedAt?: string;
}

export interface AccessEntry {
  principalArn: string;
  type?: string;
  username?: string;
  kubernetesGroups?: string[];
  createdAt?: string;
  modifiedAt?: string;
  accessEntryArn?: string;
  associatedAccessPolicies: AssociatedAccessPolicy[];
}

export interface AwsAuthRoleMapping {
  rolearn: string;
  username?: string;
  groups?: string[];
}

export interface AwsAuthUserMapping {
  userarn: string;
  username?: string;
  groups?: string[];
}

export interface AwsAuth {
  mapRoles: AwsAuthRoleMapping[];
  mapUsers: AwsAuthUserMapping[];
  mapAccounts: string[];
}

export interface ClusterInfo {
  name?: string;
  arn?: string;
  version?: string;
  endpoint?: string;
  accessConfig?: {
    authenticationMode?: AuthenticationMode;
    bootstrapClusterCreatorAdminPermissions?: boolean;
  };
  logging?: { clusterLogging?: { types?: string[]; enabled?: boolean }[] };
}

/** DESIGN.md's inventory JSON. `accessEntries` undefined means "not known" (only aws-auth was given). */
export interface Inventory {
  cluster: ClusterInfo;
  accessEntries: AccessEntry[] | undefined;
  awsAuth: AwsAuth | undefined;
}
