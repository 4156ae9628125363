// Turns a byte stream from a board into decoded records: splits lines, checks each against the wire
// protocol (firmware/src/protocol.ts, the one definition), and counts every line it rejects by reason.
import { crc32Range } from "../../firmware/src/crc32.ts";
import { decodeRecordAt, type DecodedRecord, type DecodeFailure } from "../../firmware/src/protocol.ts";

/** Longest line a board sends; anything longer is noise and is dropped whole. */
export const MAX_RECORD_LINE = 512;

/** Why an authenticating stream refused a line (host/truth/record-auth.ts). */
export type AuthRejectReason = "not-authenticated" | "unknown-node-key" | "forged" | "replayed";

export type RejectReason = DecodeFailure | "oversize" | AuthRejectReason;

export interface RecordStreamOptions {
  /** Checks each line's authentication and returns the record line within it, or why it is refused. */
  authenticate?: (line: string) => { ok: true; line: string } | { ok: false; reason: AuthRejectReason };
}

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

export function createRecordStream(
  onRecord: (record: DecodedRecord) => void,
  options: RecordStreamOptions = {},
): RecordStream {
  const counters: RecordStreamCounters = {
    records: 0,
    rejected: {
      "not-a-record": 0,
      "no-checksum": 0,
      "bad-checksum": 0,
      "bad-version": 0,
      "bad-header": 0,
      oversize: 0,
      "not-authenticated": 0,
      "unknown-node-key": 0,
      forged: 0,
      replayed: 0,
    },
    firstRejected: {},
  };
  const reject = (reason: RejectReason, line: string) => {
    counters.rejected[reason]++;
    counters.firstRejected[reason] ??= line.slice(0, 120);
  };
  const decodeAt = (text: string, start: number, end: number) => {
    const decoded = decodeRecordAt(text, start, end, crc32Range);
    if (typeof decoded === "string") reject(decoded, text.slice(start, end));
    else {
      counters.records++;
      onRecord(decoded);
    }
  };
  const { authenticate } = options;
  let pending = "";
  return {
    counters,
    push(chunk) {
      pending += chunk;
      let start = 0;
      for (let newline = pending.indexOf("\n"); newline >= 0; newline = pending.indexOf("\n", start)) {
        const lineStart = start;
        const end = newline > start && pending.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
        start = newline + 1;
        if (end === lineStart) continue;
        if (end - lineStart > MAX_RECORD_LINE) {
          reject("oversize", pending.slice(lineStart, end));
          continue;
        }
        if (!authenticate) {
          decodeAt(pending, lineStart, end);
          continue;
        }
        const line = pending.slice(lineStart, end);
        const checked = authenticate(line);
        if (checked.ok) decodeAt(checked.line, 0, checked.line.length);
        else reject(checked.reason, line);
      }
      pending = start === 0 ? pending : pending.slice(start);
      if (pending.length > MAX_RECORD_LINE) {
        reject("oversize", pending);
        pending = "";
      }
    },
  };
}
