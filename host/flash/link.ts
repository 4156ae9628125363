// A byte link to a board's console for flashing: bytes out, everything received kept in order, and a
// way to let time pass while waiting for an answer. On a serial port time is the wall clock; on a lab
// board it is the lab's virtual time, so the same flashing code runs deterministically in tests.
import { SerialPortStream } from "@serialport/stream";
import { SerialPort } from "serialport";
import { explainOpenError } from "../transport/serial.ts";

export interface ByteLink {
  /** What the user calls it (a port path), for messages. */
  readonly name: string;
  /** Everything received so far, as an 8-bit string. */
  readonly received: string;
  /** Why the link is gone (unplugged, closed), or null while it is up. */
  readonly closedReason: string | null;
  /** Milliseconds on the link's clock. */
  nowMs(): number;
  write(data: string): Promise<void>;
  /** Lets up to `ms` pass, returning early when data arrives or the link closes. */
  wait(ms: number): Promise<void>;
  close(): Promise<void>;
}

export class LinkOpenError extends Error {}

type Binding = ConstructorParameters<typeof SerialPortStream>[0]["binding"];

/**
 * Opens a serial port (8N1, no software flow control: one chunk at a time, each answered before the
 * next, never outruns the board's input queue) as a ByteLink.
 */
export async function openSerialByteLink(
  path: string,
  baudRate: number,
  binding?: Binding,
): Promise<ByteLink> {
  const settings = { path, baudRate, autoOpen: false };
  const port: SerialPortStream = binding
    ? new SerialPortStream({ ...settings, binding })
    : new SerialPort(settings);
  await new Promise<void>((resolve, reject) =>
    port.open((error) => (error ? reject(new LinkOpenError(explainOpenError(path, error))) : resolve())),
  );
  let received = "";
  let closedReason: string | null = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  port.on("data", (chunk: Buffer) => {
    received += chunk.toString("latin1");
    poke();
  });
  port.on("close", () => {
    closedReason ??= `${path} closed (board unplugged?)`;
    poke();
  });
  port.on("error", (error: Error) => {
    closedReason ??= `${path}: ${error.message}`;
    poke();
  });
  return {
    name: path,
    get received() {
      return received;
    },
    get closedReason() {
      return closedReason;
    },
    nowMs: () => performance.now(),
    write: (data) =>
      new Promise<void>((resolve, reject) => {
        if (closedReason !== null) {
          reject(new Error(closedReason));
          return;
        }
        port.write(Buffer.from(data, "latin1"), (error) => {
          if (error) {
            closedReason ??= `${path}: ${error.message}`;
            reject(new Error(closedReason));
          } else port.drain(() => resolve());
        });
      }),
    wait: (ms) =>
      new Promise<void>((resolve) => {
        if (closedReason !== null) {
          resolve();
          return;
        }
        const timer = setTimeout(() => {
          wake = null;
          resolve();
        }, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    close: () =>
      new Promise<void>((resolve) => {
        closedReason ??= "closed";
        if (!port.isOpen) resolve();
        else port.close(() => resolve());
      }),
  };
}
