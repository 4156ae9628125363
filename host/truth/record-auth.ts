// Authenticated records: each node holds its own key (set when its firmware is built and flashed) and
// appends an HMAC-SHA256 tag, cut to 64 bits, over the framed record line and its own serial:
//
//   #TN1,U,<boot>,<seq>,…*<crc32> ~<serial>:<16 hex digits>
//
// The host verifies the tag with that node's key, and refuses a record again once it has accepted it
// (replay: the same boot id and sequence number) or once the node has started a newer boot (a board
// forgets its old boot's records when it resets, so they can only be replays). Forged, replayed and
// unknown-key records are refused with the reason and counted; nothing here throws on garbage. A hello
// or config record must name the serial that signed it, and one link carries one signer's records:
// another node's valid records on it are refused as forged (`forLink`, what the collector uses).
// The boards' half is firmware/src/auth.ts (boards built with a node key: timenode flash --keys).
import { createHmac, timingSafeEqual } from "node:crypto";
import { crc32 } from "../../firmware/src/crc32.ts";
import { decodeRecord, REC_CONFIG, REC_HELLO, type DecodedRecord } from "../../firmware/src/protocol.ts";
import { RangeSet } from "../collect/range-set.ts";
import type { AuthRejectReason } from "../protocol/record-stream.ts";

const TAG_HEX = 16;
/** The tag at the end of a line (its line ending already taken off): serial and tag. */
const TAG = / ~([^:\s]+):([0-9a-f]{16})$/;

/** A line with its tag, if any, taken off (what a reader that does not check tags decodes). */
export function untagged(line: string): string {
  const record = bare(line);
  const match = TAG.exec(record);
  return match ? record.slice(0, match.index) : record;
}

export type AuthFailure = "not-authenticated" | "bad-record" | "unknown-node-key" | "forged" | "replayed";

export type AuthResult =
  | { ok: true; serial: string; record: DecodedRecord; line: string }
  | { ok: false; reason: AuthFailure; serial: string | null; line?: string };

/** A node's key from the lab's (or site's) master secret and the node's serial. */
export function nodeKey(masterSecret: string, serial: string): Buffer {
  return createHmac("sha256", masterSecret).update(`timenode node key ${serial}`).digest();
}

function tag(key: Buffer, serial: string, line: string): string {
  return createHmac("sha256", key).update(`${serial}\n${line}`).digest("hex").slice(0, TAG_HEX);
}

function bare(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charAt(end - 1) === "\n" || line.charAt(end - 1) === "\r")) end--;
  return line.slice(0, end);
}

/** The authenticated form of a framed record line. */
export function signRecord(key: Buffer, serial: string, line: string): string {
  const record = bare(line);
  return `${record} ~${serial}:${tag(key, serial, record)}\r\n`;
}

interface NodeState {
  boots: string[];
  accepted: Map<string, RangeSet>;
}

export class RecordAuthenticator {
  readonly counts: Record<AuthFailure | "accepted", number> = {
    accepted: 0,
    "not-authenticated": 0,
    "bad-record": 0,
    "unknown-node-key": 0,
    forged: 0,
    replayed: 0,
  };
  private readonly nodes = new Map<string, NodeState>();

  constructor(private readonly keys: ReadonlyMap<string, Buffer>) {}

  check(line: string): AuthResult {
    return this.counted(this.verify(bare(line), null));
  }

  /**
   * A check for one link, for the collector's record stream: the first signer it accepts is the link's,
   * and records signed by any other are refused as forged. Returns the record line without its tag; a
   * signed line that is not a record goes on to the stream's decoder, which says what is wrong with it.
   */
  forLink(): (line: string) => { ok: true; line: string } | { ok: false; reason: AuthRejectReason } {
    let signer: string | null = null;
    return (line) => {
      const result = this.counted(this.verify(bare(line), signer));
      if (result.ok) {
        signer = result.serial;
        return { ok: true, line: result.line };
      }
      if (result.reason === "bad-record") return { ok: true, line: result.line ?? line };
      return { ok: false, reason: result.reason };
    };
  }

  private counted(result: AuthResult): AuthResult {
    this.counts[result.ok ? "accepted" : result.reason]++;
    return result;
  }

  private verify(line: string, requiredSigner: string | null): AuthResult {
    const match = TAG.exec(line);
    if (!match) return { ok: false, reason: "not-authenticated", serial: null };
    const serial = match[1]!;
    const record = line.slice(0, match.index);
    const key = this.keys.get(serial);
    if (!key) return { ok: false, reason: "unknown-node-key", serial };
    const expected = Buffer.from(tag(key, serial, record), "hex");
    if (!timingSafeEqual(expected, Buffer.from(match[2]!, "hex")))
      return { ok: false, reason: "forged", serial };
    if (requiredSigner !== null && serial !== requiredSigner) return { ok: false, reason: "forged", serial };
    const decoded = decodeRecord(record, crc32);
    if (typeof decoded === "string") return { ok: false, reason: "bad-record", serial, line: record };
    const claimed =
      decoded.type === REC_HELLO
        ? decoded.fields[7]
        : decoded.type === REC_CONFIG
          ? decoded.fields[12]
          : serial;
    if (claimed !== serial) return { ok: false, reason: "forged", serial };
    let state = this.nodes.get(serial);
    if (!state) {
      state = { boots: [], accepted: new Map() };
      this.nodes.set(serial, state);
    }
    const bootIndex = state.boots.indexOf(decoded.bootId);
    if (bootIndex >= 0 && bootIndex < state.boots.length - 1)
      return { ok: false, reason: "replayed", serial };
    let seen = state.accepted.get(decoded.bootId);
    if (!seen) {
      seen = new RangeSet();
      state.accepted.set(decoded.bootId, seen);
      state.boots.push(decoded.bootId);
    }
    if (seen.has(decoded.seq)) return { ok: false, reason: "replayed", serial };
    seen.add(decoded.seq, decoded.seq);
    return { ok: true, serial, record: decoded, line: record };
  }
}
