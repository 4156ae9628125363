// A board on a serial port for `timenode chrony --port`: records stamped on the monotonic clock as
// they arrive, commands written back, and the port reopened when it goes away (a pulled cable), so
// feeding resumes by itself.
import { SerialPort } from "serialport";
import type { DecodedRecord } from "../../firmware/src/protocol.ts";
import { createRecordStream, type RecordStream } from "../protocol/record-stream.ts";
import { explainOpenError, SerialOpenError } from "../transport/serial.ts";

export interface BoardPortOptions {
  path: string;
  baudRate: number;
  monoNs: () => bigint;
  onRecord(record: DecodedRecord, arrivalNs: bigint): void;
  /** The port closed, or reopened: one line for the user. */
  onLink(message: string): void;
  reopenEveryMs?: number;
}

export interface BoardPort {
  /** Resolves when the port first opens; rejects with a SerialOpenError saying why it cannot. */
  readonly opened: Promise<void>;
  send(line: string): void;
  readonly stream: RecordStream;
  close(): Promise<void>;
}

export function openBoardPort(options: BoardPortOptions): BoardPort {
  const stream = createRecordStream((record) => options.onRecord(record, arrival));
  let arrival = 0n;
  let port: SerialPort | null = null;
  let closing = false;
  let retry: NodeJS.Timeout | null = null;
  let first = true;
  let settle: { resolve: () => void; reject: (e: Error) => void } | null = null;
  const opened = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));

  const reopenLater = () => {
    if (closing || retry) return;
    retry = setTimeout(() => {
      retry = null;
      open();
    }, options.reopenEveryMs ?? 2000);
  };
  const open = () => {
    const candidate = new SerialPort({ path: options.path, baudRate: options.baudRate, autoOpen: false });
    candidate.open((error) => {
      if (error) {
        if (first) settle?.reject(new SerialOpenError(explainOpenError(options.path, error)));
        else reopenLater();
        first = false;
        return;
      }
      if (closing) return void candidate.close();
      if (!first) options.onLink(`${options.path}: open again`);
      first = false;
      settle?.resolve();
      port = candidate;
      candidate.on("data", (chunk: Buffer) => {
        arrival = options.monoNs();
        stream.push(chunk.toString("latin1"));
      });
      candidate.on("close", () => {
        port = null;
        if (closing) return;
        options.onLink(`${options.path}: closed (cable pulled?); trying to open it again`);
        reopenLater();
      });
      candidate.on("error", (e: Error) => options.onLink(`${options.path}: ${e.message}`));
    });
  };
  open();
  return {
    opened,
    stream,
    send(line) {
      if (port?.isOpen) port.write(Buffer.from(line, "latin1"));
    },
    async close() {
      closing = true;
      if (retry) clearTimeout(retry);
      const current = port;
      port = null;
      if (current?.isOpen) await new Promise<void>((done) => current.close(() => done()));
    },
  };
}
