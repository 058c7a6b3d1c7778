// One retry policy for every AWS call: throttling, quotas and 5xx get exponential backoff with full
// jitter; anything else, or an interrupt, ends at once as one actionable error.

import { describeAwsError, isRetryable } from "./aws-errors.js";

export class InterruptedError extends Error {
  override name = "InterruptedError";
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new InterruptedError("interrupted"));
      return;
    }
    const onAbort = () => {
      clearTimeout(t);
      reject(new InterruptedError("interrupted"));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export interface RetryOptions {
  signal?: AbortSignal | undefined;
  maxAttempts?: number | undefined;
  backoffMs?: number | undefined;
  sleep?: Sleep | undefined;
}

/** Calls `f`, retrying what is worth retrying; `what` names the IAM action in the error. */
export async function withRetry<T>(what: string, f: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const maxAttempts = o.maxAttempts ?? 6;
  const backoff = o.backoffMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await f();
    } catch (err) {
      if (o.signal?.aborted) throw new InterruptedError("interrupted");
      if (!isRetryable(err) || attempt >= maxAttempts) throw describeAwsError(err, what);
      await (o.sleep ?? sleep)(Math.random() * backoff * 2 ** (attempt - 1), o.signal);
    }
  }
}

/** Runs `f` over items with at most `limit` at once, keeping order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  f: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await f(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}
