// Runs the CLI in-process with its output captured, for the commands' tests.
import type { Output } from "./io.ts";
import { main, type CommandContext } from "./main.ts";

export interface Captured {
  ctx: CommandContext;
  /** One entry per line or JSON document (as compact JSON) on stdout. */
  stdout: string[];
  stderr: string[];
}

export function capture(): Captured {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out: Output = {
    line: (text) => void stdout.push(text),
    json: (value) => void stdout.push(JSON.stringify(value)),
    record: (value) => void stdout.push(JSON.stringify(value)),
    warn: (text) => void stderr.push(text),
    progress: () => undefined,
    status: () => undefined,
    progressDone: () => undefined,
  };
  return { ctx: { out, exitCode: 0 }, stdout, stderr };
}

/** `timenode <argv…>` with captured output, and its exit code. */
export async function runCli(...argv: string[]): Promise<Captured & { code: number }> {
  const captured = capture();
  const code = await main(argv, captured.ctx);
  return { ...captured, code };
}
