// PTP over a serial link: each message is one CRC-checked line (firmware/src/ptp-frame.ts). A serial
// link has no event and general ports, so a message's kind follows from its type. A send is stamped
// when the line is handed to the port, a receive when the line's last byte arrives: Sync and Delay_Req
// lines are the same length, so the time each line spends on the wire is the same both ways and
// cancels out of the offset (it adds to the path delay).
import { SerialPort } from "serialport";
import { crc32 } from "../../firmware/src/crc32.ts";
import { PTP_DELAY_REQ, PTP_SYNC } from "../../firmware/src/ptp.ts";
import { decodePtpLine, framePtpLine } from "../../firmware/src/ptp-frame.ts";
import { explainOpenError } from "../transport/serial.ts";
import type { SyncClock } from "./realtime-clock.ts";
import type { PortKind } from "./slave.ts";

/** Longest line kept while waiting for its end; longer ones are garbage and dropped. */
const MAX_LINE = 400;

export function kindOf(bytes: string): PortKind {
  const type = bytes.charCodeAt(0) & 0x0f;
  return type === PTP_SYNC || type === PTP_DELAY_REQ ? "event" : "general";
}

/** Splits a byte stream into lines, bounded in memory, and decodes each; the rest is counted. */
export class PtpLineReader {
  private partial = "";
  readonly rejected: Record<string, number> = {};

  constructor(private readonly onMessage: (bytes: string) => void) {}

  push(chunk: string): void {
    let text = this.partial + chunk;
    let end: number;
    while ((end = text.indexOf("\n")) >= 0) {
      const line = text.slice(0, end);
      text = text.slice(end + 1);
      if (line.trim() === "") continue;
      const decoded = decodePtpLine(line, crc32);
      if (decoded.bytes !== null) this.onMessage(decoded.bytes);
      else this.count(decoded.failure!);
    }
    if (text.length > MAX_LINE) {
      this.count("line-too-long");
      text = "";
    }
    this.partial = text;
  }

  private count(reason: string): void {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
  }
}

export interface PtpSerial {
  send(kind: PortKind, bytes: string): bigint;
  close(): Promise<void>;
  readonly reader: PtpLineReader;
}

export function openPtpSerial(options: {
  path: string;
  baudRate: number;
  clock: SyncClock;
  onMessage: (kind: PortKind, bytes: string, rxNs: bigint) => void;
  onError: (error: Error) => void;
}): Promise<PtpSerial> {
  return new Promise((resolve, reject) => {
    let rxNs = 0n;
    const reader = new PtpLineReader((bytes) => options.onMessage(kindOf(bytes), bytes, rxNs));
    const port = new SerialPort({ path: options.path, baudRate: options.baudRate, autoOpen: false });
    port.on("data", (chunk: Buffer) => {
      rxNs = options.clock.nowNs();
      reader.push(chunk.toString("latin1"));
    });
    port.open((error) => {
      if (error) return reject(new Error(explainOpenError(options.path, error)));
      port.on("error", options.onError);
      resolve({
        reader,
        send(_kind, bytes) {
          const t = options.clock.nowNs();
          port.write(Buffer.from(framePtpLine(bytes, crc32), "latin1"));
          return t;
        },
        close: () => new Promise<void>((done) => (port.isOpen ? port.close(() => done()) : done())),
      });
    });
  });
}
