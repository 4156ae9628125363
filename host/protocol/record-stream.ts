// Turns a byte stream from a board into decoded records: splits lines, checks each against the wire
// protocol (firmware/src/protocol.ts, the one definition), and counts every line it rejects by reason.
import { crc32 } from "node:zlib";
import { decodeRecord, type DecodedRecord, type DecodeFailure } from "../../firmware/src/protocol.ts";

/** Longest line a board sends; anything longer is noise and is dropped whole. */
export const MAX_RECORD_LINE = 512;

export type RejectReason = DecodeFailure | "oversize";

export interface RecordStreamCounters {
  records: number;
  rejected: Record<RejectReason, number>;
  /** First rejected line of each reason, shown once to the user (e.g. a REPL banner). */
  firstRejected: Partial<Record<RejectReason, string>>;
}

export interface RecordStream {
  push(chunk: string): void;
  readonly counters: RecordStreamCounters;
}

const crcOfText = (text: string) => crc32(Buffer.from(text, "latin1"));

export function createRecordStream(onRecord: (record: DecodedRecord) => void): RecordStream {
  const counters: RecordStreamCounters = {
    records: 0,
    rejected: {
      "not-a-record": 0,
      "no-checksum": 0,
      "bad-checksum": 0,
      "bad-version": 0,
      "bad-header": 0,
      oversize: 0,
    },
    firstRejected: {},
  };
  const reject = (reason: RejectReason, line: string) => {
    counters.rejected[reason]++;
    counters.firstRejected[reason] ??= line.slice(0, 120);
  };
  let pending = "";
  return {
    counters,
    push(chunk) {
      pending += chunk;
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        const line = pending.slice(0, newline).replace(/\r$/, "");
        pending = pending.slice(newline + 1);
        newline = pending.indexOf("\n");
        if (line.length === 0) continue;
        if (line.length > MAX_RECORD_LINE) {
          reject("oversize", line);
          continue;
        }
        const decoded = decodeRecord(line, crcOfText);
        if (typeof decoded === "string") reject(decoded, line);
        else {
          counters.records++;
          onRecord(decoded);
        }
      }
      if (pending.length > MAX_RECORD_LINE) {
        reject("oversize", pending);
        pending = "";
      }
    },
  };
}
