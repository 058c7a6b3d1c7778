// Writes output files atomically: a temp file beside the target, then rename. Never half a report.

import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { IoError, messageOf } from "./errors.js";

function tempBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

export interface AtomicFile {
  write(text: string): void;
  /** Flushes and renames into place. */
  commit(): Promise<void>;
  /** Removes the temp file; the target is untouched. */
  abort(): Promise<void>;
}

/** A streaming atomic write, for output too large to hold (classify rows). */
export async function openAtomic(path: string): Promise<AtomicFile> {
  const tmp = tempBeside(path);
  const stream = createWriteStream(tmp, { encoding: "utf8", mode: 0o644 });
  let failure: unknown;
  stream.on("error", (err) => {
    failure = err;
  });
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (err) =>
      reject(
        new IoError(
          `cannot write ${path}: ${messageOf(err)}`,
          "check that the directory exists and is writable",
          { cause: err },
        ),
      ),
    );
  });
  return {
    write: (text) => {
      stream.write(text);
    },
    commit: async () => {
      await new Promise<void>((resolve) => stream.end(resolve));
      if (failure) {
        await unlink(tmp).catch(() => undefined);
        throw new IoError(`cannot write ${path}: ${messageOf(failure)}`, undefined, { cause: failure });
      }
      await rename(tmp, path);
    },
    abort: async () => {
      stream.destroy();
      await unlink(tmp).catch(() => undefined);
    },
  };
}

export async function writeAtomic(path: string, content: string): Promise<void> {
  const tmp = tempBeside(path);
  try {
    await writeFile(tmp, content, { encoding: "utf8", mode: 0o644 });
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new IoError(
      `cannot write ${path}: ${messageOf(err)}`,
      "check that the directory exists and is writable",
      {
        cause: err,
      },
    );
  }
}
