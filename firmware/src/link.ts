// Sends records to the host: one framed, CRC-checked line each, numbered per boot.
import { frameRecord, hex32, recordBody } from "./protocol.ts";

export interface HostLink {
  bootId: string;
  /** Sequence number of the next record. */
  nextSeq: number;
  send(type: string, fields: string): void;
}

export function createHostLink(device: EspruinoSerial, bootId: string): HostLink {
  const link: HostLink = {
    bootId: bootId,
    nextSeq: 0,
    send: function (type: string, fields: string) {
      const body = recordBody(type, link.bootId, link.nextSeq, fields);
      link.nextSeq++;
      device.write(frameRecord(body, E.CRC32(body)));
    },
  };
  return link;
}

/** A boot id from the board's hardware random source: 8 hex digits. */
export function newBootId(): string {
  return hex32(Math.floor(Math.random() * 4294967296));
}
