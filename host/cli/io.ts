// Output helpers: commands print through these so `--json` output stays machine-clean and progress
// only appears on a terminal.
export interface Output {
  /** Human-readable line on stdout. */
  line(text: string): void;
  /** One JSON document (pretty) on stdout. */
  json(value: unknown): void;
  /** Diagnostics on stderr. */
  warn(text: string): void;
  /** Progress that is shown only when stderr is a TTY; overwritten in place. */
  progress(text: string): void;
  /** Ends a progress line. */
  progressDone(): void;
}

export function createOutput(
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
): Output {
  let progressShown = false;
  const tty = Boolean(stderr.isTTY) && !process.env["CI"];
  return {
    line: (text) => void stdout.write(text + "\n"),
    json: (value) => void stdout.write(JSON.stringify(value, null, 2) + "\n"),
    warn: (text) => void stderr.write(text + "\n"),
    progress: (text) => {
      if (!tty) return;
      stderr.write("\r\x1b[2K" + text);
      progressShown = true;
    },
    progressDone: () => {
      if (progressShown) stderr.write("\r\x1b[2K");
      progressShown = false;
    },
  };
}
