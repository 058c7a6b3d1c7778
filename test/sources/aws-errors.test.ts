import {
  AccessDeniedException,
  CloudWatchLogsClient,
  LimitExceededException,
  ServiceUnavailableException,
  StopQueryCommand,
  ThrottlingException,
} from "@aws-sdk/client-cloudwatch-logs";
import { ResourceNotFoundException } from "@aws-sdk/client-eks";
import { describe, expect, it } from "vitest";
import { describeAwsError, isRetryable } from "../../src/sources/aws-errors.js";

const meta = { $metadata: {} };

describe("AWS errors", () => {
  it("retries throttling, the query quota and 5xx, not the rest", () => {
    expect(isRetryable(new ThrottlingException({ message: "Rate exceeded", ...meta }))).toBe(true);
    expect(isRetryable(new LimitExceededException({ message: "max", ...meta }))).toBe(true);
    expect(isRetryable(new ServiceUnavailableException({ message: "down", ...meta }))).toBe(true);
    expect(isRetryable(new AccessDeniedException({ message: "no", ...meta }))).toBe(false);
  });
  it("no credentials anywhere: the SDK's own error from its default chain", async () => {
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
    Object.assign(process.env, {
      AWS_CONFIG_FILE: "/nonexistent",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
      AWS_EC2_METADATA_DISABLED: "true",
    });
    try {
      const client = new CloudWatchLogsClient({
        region: "us-east-1",
        endpoint: "http://127.0.0.1:9",
        maxAttempts: 1,
      });
      const err = await client.send(new StopQueryCommand({ queryId: "q" })).catch((e: unknown) => e);
      const described = describeAwsError(err, "logs:StopQuery");
      expect([described.message, described.hint]).toEqual([
        "no AWS credentials found",
        expect.stringMatching(/aws sso login/),
      ]);
    } finally {
      process.env = saved;
    }
  });

  it("gives one line and a fix for each failure a user can fix", () => {
    const expired = describeAwsError(
      Object.assign(
        new Error("The SSO session associated with this profile has expired or is otherwise invalid."),
        { name: "TokenProviderError" },
      ),
      "eks:DescribeCluster",
    );
    expect(expired.message).toBe("the AWS session has expired");
    const denied = describeAwsError(
      new AccessDeniedException({ message: "User is not authorized to perform: logs:StartQuery", ...meta }),
      "logs:StartQuery",
    );
    expect([denied.message, denied.hint]).toEqual([
      "access denied to logs:StartQuery",
      "allow logs:StartQuery for this identity (see docs/iam-policy.json)",
    ]);
    const missing = describeAwsError(
      new ResourceNotFoundException({ message: "No cluster found for name: x.", ...meta }),
      "eks:DescribeCluster",
    );
    expect(missing.message).toBe("eks:DescribeCluster: not found — No cluster found for name: x.");
    expect(missing.exitCode).toBe(3);
  });
});
