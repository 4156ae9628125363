// Exposes a virtual board's serial device as a real pseudo-terminal, so any serial program (timenode
// collect, screen, minicom, a Python script) can open it. socat owns the pty; its stdin/stdout are the
// board's side. Closing the bridge removes the pty: to a program that has it open, the board was
// unplugged.
import { spawn, type ChildProcess } from "node:child_process";

export interface PtyBridge {
  /** The path programs open (a symlink to /dev/pts/N). */
  readonly path: string;
  /** The pty device socat allocated. */
  readonly device: string;
  /** Bytes from the board to whoever has the pty open. */
  write(data: string): void;
  /** Bytes typed into the pty by the program that opened it. */
  onData(listener: (data: string) => void): void;
  close(): Promise<void>;
}

export class PtyUnavailableError extends Error {}

/** Creates a pty at `path` (replacing a stale link) and resolves once socat reports it ready. */
export function openPtyBridge(path: string): Promise<PtyBridge> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn("socat", ["-d", "-d", `PTY,raw,echo=0,link=${path},unlink-close=1`, "STDIO"], {
        stdio: ["pipe", "pipe", "pipe"],
      });
    } catch (error) {
      reject(new PtyUnavailableError(`cannot start socat: ${String(error)}`));
      return;
    }
    const listeners: ((data: string) => void)[] = [];
    let stderr = "";
    let ready = false;
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    child.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new PtyUnavailableError(
          error.code === "ENOENT"
            ? "socat is not installed; install it (Debian: apt-get install socat) to expose boards as ptys"
            : `socat failed: ${error.message}`,
        ),
      );
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      const text = chunk.toString("latin1");
      for (const listener of listeners) listener(text);
    });
    child.stdin?.on("error", () => {
      // socat went away (closed by us or killed): writes after that are dropped, like bytes sent to an
      // unplugged board.
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      if (ready) return;
      stderr += chunk.toString();
      // socat names the pty before it creates the link; the transfer loop starts once the link exists.
      const match = /PTY is (\S+)/.exec(stderr);
      if (!match?.[1] || !stderr.includes("starting data transfer loop")) return;
      ready = true;
      const device = match[1];
      resolve({
        path,
        device,
        write: (data) => {
          if (child.stdin?.writable) child.stdin.write(Buffer.from(data, "latin1"));
        },
        onData: (listener) => listeners.push(listener),
        close: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          await exited;
        },
      });
    });
    child.once("exit", (code) => {
      if (!ready)
        reject(new PtyUnavailableError(`socat exited (${code}) before creating ${path}: ${stderr.trim()}`));
    });
  });
}
