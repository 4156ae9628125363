// Sends records to the host: one framed, CRC-checked line each, numbered per boot, and kept in the
// ring until the host acknowledges it, so a host that reconnects can ask for what it missed.
import { frameRecord, hex32, recordBody } from "./protocol.ts";
import { ringPush, type Ring } from "./ring.ts";

/** Where record lines go: the serial host device, or a UDP socket aimed at the host. */
export interface LineSink {
  write(data: string): void;
}

export interface HostLink {
  bootId: string;
  /** Sequence number of the next record. */
  nextSeq: number;
  send(type: string, fields: string): void;
  /** Writes a kept line again, unchanged. */
  resend(line: string): void;
}

export function createHostLink(device: LineSink, bootId: string, ring: Ring): HostLink {
  const link: HostLink = {
    bootId: bootId,
    nextSeq: 0,
    send: function (type: string, fields: string) {
      const body = recordBody(type, link.bootId, link.nextSeq, fields);
      const line = frameRecord(body, E.CRC32(body));
      ringPush(ring, link.nextSeq, line);
      link.nextSeq++;
      device.write(line);
    },
    resend: function (line: string) {
      device.write(line);
    },
  };
  return link;
}

/** A boot id from the board's hardware random source: 8 hex digits. */
export function newBootId(): string {
  return hex32(Math.floor(Math.random() * 4294967296));
}
