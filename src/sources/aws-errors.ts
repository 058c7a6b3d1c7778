// AWS SDK errors → one actionable line. The SDK's own error names and metadata decide.

import { AwsError, messageOf } from "../errors.js";

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

const RETRYABLE = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "LimitExceededException",
  "ServiceUnavailableException",
  "ServiceUnavailable",
  "InternalServerException",
  "InternalFailure",
  "ServerException",
  "RequestTimeout",
  "RequestTimeoutException",
]);

/** Throttling, the concurrent-query quota, and 5xx: worth another try after a pause. */
export function isRetryable(err: unknown): boolean {
  const e = err as SdkError;
  if (!e || typeof e !== "object") return false;
  if (RETRYABLE.has(e.name ?? "")) return true;
  if (e.$retryable) return true;
  return (e.$metadata?.httpStatusCode ?? 0) >= 500;
}

export function describeAwsError(err: unknown, action: string): AwsError {
  if (err instanceof AwsError) return err;
  const e = (err ?? {}) as SdkError;
  const name = e.name ?? "";
  const message = messageOf(err);
  if (name === "CredentialsProviderError" || /could not load credentials|no credentials/i.test(message)) {
    return new AwsError(
      "no AWS credentials found",
      "run `aws sso login` (or `aws configure`), pass --profile, or set AWS_PROFILE",
      { cause: err },
    );
  }
  if (/expired/i.test(name) || /token.*expired|session.*expired|expired.*token/i.test(message)) {
    return new AwsError(
      "the AWS session has expired",
      "run `aws sso login` (with your --profile) and try again",
      { cause: err },
    );
  }
  if (
    name === "UnrecognizedClientException" ||
    name === "InvalidSignatureException" ||
    name === "InvalidClientTokenId"
  ) {
    return new AwsError(`AWS rejected the credentials (${name})`, "check the profile or access keys in use", {
      cause: err,
    });
  }
  if (name === "AccessDeniedException" || name === "AccessDenied" || e.$metadata?.httpStatusCode === 403) {
    return new AwsError(
      `access denied to ${action}`,
      `allow ${action} for this identity (see docs/iam-policy.json)`,
      { cause: err },
    );
  }
  if (name === "ResourceNotFoundException") {
    return new AwsError(
      `${action}: not found — ${message}`,
      "check the cluster name, --region and --log-group",
      { cause: err },
    );
  }
  return new AwsError(`${action} failed: ${name ? `${name}: ` : ""}${message}`, undefined, { cause: err });
}
