// Where weekly files go: a local folder (atomic writes) or s3://bucket/prefix (PutObject is atomic per object).

import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { writeAtomic } from "../output.js";
import { describeAwsError } from "../sources/aws-errors.js";
import { withRetry } from "../sources/retry.js";

export interface Destination {
  /** Human-readable location of a relative key. */
  where(key: string): string;
  read(key: string): Promise<string | undefined>;
  write(key: string, body: string, contentType: string): Promise<void>;
}

export function localDestination(root: string): Destination {
  return {
    where: (key) => join(root, key),
    async read(key) {
      try {
        return await readFile(join(root, key), "utf8");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw err;
      }
    },
    async write(key, body) {
      const path = join(root, key);
      await mkdir(dirname(path), { recursive: true });
      await writeAtomic(path, body);
    },
  };
}

export function s3Destination(url: string, client?: S3Client): Destination {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new Error(`not an s3:// URL: ${url}`);
  const bucket = m[1]!;
  const prefix = m[2] ? `${m[2].replace(/\/+$/, "")}/` : "";
  // S3-compatible endpoints set through AWS_ENDPOINT_URL* (and local test servers) want path-style URLs.
  const custom = !!(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
  const s3 = client ?? new S3Client({ ...(custom ? { forcePathStyle: true } : {}) });
  return {
    where: (key) => `s3://${bucket}/${prefix}${key}`,
    async read(key) {
      try {
        const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}${key}` }));
        return await r.Body?.transformToString("utf-8");
      } catch (err) {
        const name = (err as { name?: string }).name;
        if (name === "NoSuchKey" || name === "NotFound") return undefined;
        throw describeAwsError(err, "s3:GetObject");
      }
    },
    async write(key, body, contentType) {
      await withRetry("s3:PutObject", () =>
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: `${prefix}${key}`,
            Body: body,
            ContentType: contentType,
          }),
        ),
      );
    },
  };
}

export function destinationOf(dest: string, s3?: S3Client): Destination {
  return dest.startsWith("s3://") ? s3Destination(dest, s3) : localDestination(dest);
}
