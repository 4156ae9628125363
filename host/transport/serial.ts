// A board on a serial port (USB CDC or a UART adapter) as a collector link. When the port goes away (a
// bumped USB hub, a board reset that re-enumerates) the link is detached and reopened with backoff; the
// collector's resend logic then fetches what was sent meanwhile.
import { SerialPortStream } from "@serialport/stream";
import { SerialPort } from "serialport";
import type { Collector } from "../collect/collector.ts";
import type { EventSink } from "../collect/events.ts";
import type { LinkSession } from "../collect/link-session.ts";

export class SerialOpenError extends Error {}

/** One line saying what is wrong with the port and what to do about it. */
export function explainOpenError(path: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/no such file/i.test(message))
    return `serial port ${path} does not exist: check the cable, or list boards with timenode ports`;
  if (/permission denied|EACCES/i.test(message))
    return `no permission to open ${path}: add your user to the dialout group (sudo usermod -aG dialout $USER) and log in again`;
  if (/lock|busy|resource temporarily unavailable/i.test(message))
    return `serial port ${path} is busy: another program (screen, minicom, the Espruino IDE, another collector) has it open; close it`;
  if (/inappropriate ioctl/i.test(message))
    return `${path} is not a serial port: pass a tty device such as /dev/ttyACM0`;
  return `cannot open serial port ${path}: ${message}`;
}

export interface SerialLinkOptions {
  path: string;
  baudRate: number;
  collector: Collector;
  emit: EventSink;
  /** First reconnect delay; doubles per failed attempt up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Another serialport binding (unit tests use @serialport/binding-mock); default: the OS's. */
  binding?: ConstructorParameters<typeof SerialPortStream>[0]["binding"];
}

export interface SerialLink {
  /** Resolves once the port is open the first time; rejects with SerialOpenError if it cannot be. */
  readonly opened: Promise<void>;
  close(): Promise<void>;
}

export function openSerialLink(options: SerialLinkOptions): SerialLink {
  const { path, collector, emit } = options;
  const initialBackoff = options.initialBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 5000;
  let backoff = initialBackoff;
  let closing = false;
  let port: SerialPortStream | null = null;
  let session: LinkSession | null = null;
  let retry: NodeJS.Timeout | null = null;
  let firstOpen = true;
  let settleOpened: { resolve: () => void; reject: (error: Error) => void } | null = null;
  const opened = new Promise<void>((resolve, reject) => {
    settleOpened = { resolve, reject };
  });

  const scheduleReconnect = () => {
    if (closing || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect();
    }, backoff);
    backoff = Math.min(maxBackoff, backoff * 2);
  };

  const onGone = (reason: string) => {
    if (session) collector.detach(session, reason);
    session = null;
    port = null;
    scheduleReconnect();
  };

  const connect = () => {
    const settings = { path, baudRate: options.baudRate, autoOpen: false };
    const candidate: SerialPortStream = options.binding
      ? new SerialPortStream({ ...settings, binding: options.binding })
      : new SerialPort(settings);
    candidate.open((error) => {
      if (error) {
        if (firstOpen) {
          settleOpened?.reject(new SerialOpenError(explainOpenError(path, error)));
          settleOpened = null;
          return;
        }
        scheduleReconnect();
        return;
      }
      if (closing) {
        candidate.close();
        return;
      }
      firstOpen = false;
      settleOpened?.resolve();
      settleOpened = null;
      backoff = initialBackoff;
      port = candidate;
      const link = {
        label: path,
        send: (command: string) => {
          if (candidate.isOpen) candidate.write(Buffer.from(command, "latin1"));
        },
      };
      session = collector.attach(link);
      const mine = session;
      candidate.on("data", (chunk: Buffer) => mine.push(chunk.toString("latin1")));
      candidate.on("error", (e: Error) => emit({ event: "link-error", link: path, message: e.message }));
      candidate.on("close", (e: { disconnected?: boolean } | null) => {
        if (session === mine) onGone(e?.disconnected ? "unplugged" : "closed");
      });
    });
  };

  connect();
  return {
    opened,
    close: async () => {
      closing = true;
      if (retry) clearTimeout(retry);
      const current = port;
      if (session) collector.detach(session, "collector stopped");
      session = null;
      if (current?.isOpen) await new Promise<void>((done) => current.close(() => done()));
    },
  };
}
