import { Command, CommanderError } from "commander";
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./errors.ts";
import { createOutput, type Output } from "./io.ts";
import { commands } from "./commands/index.ts";

export interface CommandContext {
  out: Output;
  /** A command that finishes without throwing but found a failure (e.g. violations) sets this to 1. */
  exitCode: number;
}

/** Each command module registers itself on the root program. */
export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

export function buildProgram(ctx: CommandContext): Command {
  const program = new Command("timenode")
    .description("GPS-disciplined time nodes on Espruino boards: build, simulate, collect, analyse")
    .version(process.env["npm_package_version"] ?? "0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => ctx.out.warn(s.trimEnd()) });
  for (const register of commands) register(program, ctx);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

/** Runs the CLI and returns the exit code (0 ok, 1 failure, 2 usage). */
export async function main(
  argv: string[],
  ctx: CommandContext = { out: createOutput(), exitCode: EXIT_OK },
): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT_OK;
      if (error.code === "commander.help") return EXIT_OK;
      return EXIT_USAGE;
    }
    if (error instanceof CliError) {
      ctx.out.warn(`timenode: ${error.message}`);
      return error.exitCode;
    }
    ctx.out.warn(
      `timenode: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return EXIT_FAILURE;
  }
}
