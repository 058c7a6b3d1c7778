// Known failures: each names what went wrong and what to do; the CLI maps them to exit codes.

export const EXIT = {
  ok: 0,
  failOnMatched: 1,
  usage: 2,
  aws: 3,
  interrupted: 130,
} as const;

export class AuditError extends Error {
  override name = "AuditError";
  readonly exitCode: number = EXIT.usage;
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bad flags or arguments. */
export class UsageError extends AuditError {
  override name = "UsageError";
}

/** Input that cannot be read as asked: a missing path, an invalid inventory, a strict-mode problem. */
export class InputError extends AuditError {
  override name = "InputError";
}

/** A failed write or read of the local file system that is not the user's input. */
export class IoError extends AuditError {
  override name = "IoError";
  override readonly exitCode = EXIT.aws;
}

/** An AWS call failed. */
export class AwsError extends AuditError {
  override name = "AwsError";
  override readonly exitCode = EXIT.aws;
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
