// Output helpers: commands print through these so `--json` output stays machine-clean and progress
// only appears on a terminal.
export interface Output {
  /** Human-readable line on stdout. */
  line(text: string): void;
  /** One JSON document (pretty) on stdout. */
  json(value: unknown): void;
  /** One compact JSON document per line on stdout (NDJSON streams). */
  record(value: unknown): void;
  /** Diagnostics on stderr. */
  warn(text: string): void;
  /** Progress that is shown only when stderr is a TTY; overwritten in place. */
  progress(text: string): void;
  /** A block of live status lines on a TTY (stderr), redrawn in place; nothing when not a TTY. */
  status(lines: string[]): void;
  /** Ends a progress line or status block. */
  progressDone(): void;
}

export function createOutput(
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
): Output {
  let progressShown = false;
  let statusLines = 0;
  const clearStatus = () => {
    if (statusLines > 0) stderr.write(`\x1b[${statusLines}A\x1b[J`);
    statusLines = 0;
  };
  const tty = Boolean(stderr.isTTY) && !process.env["CI"];
  return {
    line: (text) => void stdout.write(text + "\n"),
    json: (value) => void stdout.write(JSON.stringify(value, null, 2) + "\n"),
    record: (value) => void stdout.write(JSON.stringify(value) + "\n"),
    warn: (text) => {
      if (progressShown) stderr.write("\r\x1b[2K");
      progressShown = false;
      clearStatus();
      stderr.write(text + "\n");
    },
    progress: (text) => {
      if (!tty) return;
      stderr.write("\r\x1b[2K" + text);
      progressShown = true;
    },
    status: (lines) => {
      if (!tty) return;
      clearStatus();
      stderr.write(lines.map((l) => l + "\n").join(""));
      statusLines = lines.length;
    },
    progressDone: () => {
      if (progressShown) stderr.write("\r\x1b[2K");
      progressShown = false;
      clearStatus();
    },
  };
}
