// `--input` arguments → the files to read: files as given, directories walked (sorted), `-` for stdin.

import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError, messageOf } from "../../errors.js";

export interface InputFile {
  path: string;
  /** Size in bytes; undefined for stdin. */
  size: number | undefined;
}

async function walk(dir: string, out: InputFile[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await walk(path, out);
    else if (e.isFile() || e.isSymbolicLink()) {
      const s = await stat(path);
      if (s.isFile()) out.push({ path, size: s.size });
      else if (s.isDirectory()) await walk(path, out);
    }
  }
}

export async function expandInputs(inputs: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  let stdin = false;
  for (const input of inputs) {
    if (input === "-") {
      if (stdin) throw new InputError("`-` (stdin) given twice as --input");
      stdin = true;
      out.push({ path: "-", size: undefined });
      continue;
    }
    try {
      const s = await stat(input);
      if (s.isDirectory()) await walk(input, out);
      else out.push({ path: input, size: s.size });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why =
        code === "ENOENT"
          ? "no such file or directory"
          : code === "EACCES"
            ? "permission denied"
            : messageOf(err);
      throw new InputError(`cannot read input ${input}: ${why}`, "check the --input path", { cause: err });
    }
  }
  return out;
}
