// The command line: parse flags, call the library, print, set the exit code. Nothing else.

import { Command, Option } from "commander";
import { CLI_OPTIONS, type CommandName, type RawOptions } from "./cli-options.js";
import { classify, doctor, exportWeeks, inventory, plan, queries, report } from "./commands.js";
import { AuditError, EXIT, messageOf } from "./errors.js";
import { printable } from "./report/sanitize.js";
import { TOOL } from "./version.js";

// The SDK's notice about future Node versions would land in every scheduled job's stderr: one README line says it instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const collect = (value: string, previous: string[] = []) => [...previous, value];

function withOptions(cmd: Command, name: CommandName): Command {
  for (const o of CLI_OPTIONS.filter((opt) => opt.commands.includes(name))) {
    const option = new Option(o.flags, o.description);
    if (o.repeatable) option.argParser(collect);
    if (o.defaultValue !== undefined) option.default(o.defaultValue);
    if (o.hidden) option.hideHelp();
    cmd.addOption(option);
  }
  return cmd;
}

/** One line on stderr: what failed and what to do; the cause and the stack only with --debug. */
function fail(err: unknown, debug: boolean): number {
  if (err instanceof AuditError) {
    process.stderr.write(
      `eks-access-audit: ${printable(err.message)}${err.hint ? ` — ${printable(err.hint)}` : ""}\n`,
    );
    if (debug && err.cause) process.stderr.write(`Reason: ${printable(messageOf(err.cause))}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const code = (err as NodeJS.ErrnoException)?.code;
  const what = code ? "I/O failure" : "unexpected error";
  process.stderr.write(
    `eks-access-audit: ${what}: ${printable(messageOf(err))}${debug ? "" : " — rerun with --debug for details"}\n`,
  );
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return EXIT.aws;
}

function action(run: (o: RawOptions) => Promise<number>) {
  return async (o: RawOptions) => {
    try {
      process.exitCode = await run(o);
    } catch (err) {
      process.exitCode = fail(err, !!o.debug);
    }
  };
}

const program = new Command("eks-access-audit")
  .description(
    "Who still gets into an EKS cluster through aws-auth, and what it takes to move to access entries.",
  )
  .version(TOOL.version)
  .showHelpAfterError()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  .exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT.usage);
  });

// The commands, in the order help lists them.
const COMMANDS: [CommandName, string, (o: RawOptions) => Promise<number>][] = [
  ["report", "per-principal migration-readiness report", report],
  ["classify", "one line per request: which mechanism let it in", classify],
  ["plan", "the ordered steps to move the cluster to authentication mode API", plan],
  ["export", "weekly CSV and Markdown per cluster, for a folder or S3; a fleet with --config", exportWeeks],
  ["inventory", "write the cluster's access entries and aws-auth as inventory JSON", inventory],
  ["queries", "print the Logs Insights queries a live report runs, to paste into the console", queries],
  ["doctor", "check identity and permission for every call the tool makes", doctor],
];
for (const [name, description, run] of COMMANDS) {
  withOptions(program.command(name).description(description), name).action(action(run));
}

await program.parseAsync(process.argv);
