// The resend ring: the last sent record lines, kept until the host acknowledges them, so that a host
// that reconnects can ask for what it missed by sequence number (docs/protocol.md, "resend" and "ack").
//
// Lines live in one fixed byte buffer and their offsets and lengths in two fixed typed arrays, all
// allocated once: on Espruino a string per record would cost several JsVars each, and plain arrays are
// linked lists (indexing is O(n)), while typed arrays are flat and indexed in O(1).
//
// Records are numbered consecutively per boot, so the ring holds exactly the seqs
// [firstSeq, nextSeq): entry i (from the oldest) has seq firstSeq + i.

export interface Ring {
  /** Capacity in lines and in bytes. */
  maxLines: number;
  maxBytes: number;
  bytes: Uint8Array;
  starts: Uint16Array;
  lengths: Uint16Array;
  /** Slot of the oldest kept line. */
  head: number;
  /** Lines and bytes kept. */
  count: number;
  usedBytes: number;
  /** Byte offset where the next line is written. */
  writeAt: number;
  /** Seq of the oldest kept line; always firstSeq + count === nextSeq. */
  firstSeq: number;
  /** Seq the next pushed line is expected to carry. */
  nextSeq: number;
  /** False until the first push, which may carry any seq. */
  started: boolean;
  /** Highest seq the host acknowledged (-1: none yet). */
  ackedSeq: number;
  /** Unacknowledged lines dropped to make room (or skipped over), since boot. */
  lostTotal: number;
  /** Of those, how many have not been reported yet, and the seq of the last one dropped. */
  lostUnreported: number;
  lostLastSeq: number;
}

/** The byte buffer is indexed by Uint16Array offsets. */
export const RING_MAX_BYTES = 65535;

/**
 * Creates an empty ring for at most maxLines lines and maxBytes bytes (clamped to 1…RING_MAX_BYTES);
 * the first pushed line may carry any seq.
 */
export function createRing(maxLines: number, maxBytes: number): Ring {
  const lines = maxLines >= 1 ? Math.floor(maxLines) : 1;
  let size = maxBytes >= 1 ? Math.floor(maxBytes) : 1;
  if (size > RING_MAX_BYTES) size = RING_MAX_BYTES;
  return {
    maxLines: lines,
    maxBytes: size,
    bytes: new Uint8Array(size),
    starts: new Uint16Array(lines),
    lengths: new Uint16Array(lines),
    head: 0,
    count: 0,
    usedBytes: 0,
    writeAt: 0,
    firstSeq: 0,
    nextSeq: 0,
    started: false,
    ackedSeq: -1,
    lostTotal: 0,
    lostUnreported: 0,
    lostLastSeq: -1,
  };
}

/**
 * Ring size for a board with `jsVars` variables (e.g. TN_BOARD.jsVars): half a byte per JsVar, 512 to
 * 16384. A Uint8Array costs about one JsVar per 12–16 bytes, so this is about 4 % of memory (the
 * firmware must fit in half of a 2630-variable board).
 */
export function ringSizeBytes(jsVars: number): number {
  let bytes = Math.floor(jsVars / 512) * 256;
  if (bytes < 512) bytes = 512;
  if (bytes > 16384) bytes = 16384;
  return bytes;
}

/** Lines for that many bytes: records are rarely shorter than 32 bytes. */
export function ringSizeLines(jsVars: number): number {
  return Math.floor(ringSizeBytes(jsVars) / 32);
}

function dropOldest(ring: Ring): void {
  ring.usedBytes -= ring.lengths[ring.head]!;
  ring.head = (ring.head + 1) % ring.maxLines;
  ring.count--;
  ring.firstSeq++;
  if (ring.count === 0) ring.writeAt = 0;
}

function noteLost(ring: Ring, count: number, lastSeq: number): void {
  if (count <= 0) return;
  ring.lostTotal += count;
  ring.lostUnreported += count;
  ring.lostLastSeq = lastSeq;
}

/**
 * Keeps `line` (sent with `seq`), dropping the oldest unacknowledged lines when full. Returns how many
 * unacknowledged lines this push dropped (0 normally); they are counted for ringTakeOverflow. The first
 * push may carry any seq; later, a seq other than the expected next one restarts the ring at `seq`, and
 * what it held (plus any seqs skipped over) counts as dropped. A line longer than the whole buffer
 * counts as dropped itself. O(line length).
 */
export function ringPush(ring: Ring, seq: number, line: string): number {
  let dropped = 0;
  if (!ring.started || seq !== ring.nextSeq) {
    if (ring.started) {
      const skipped = seq > ring.nextSeq ? seq - ring.nextSeq : 0;
      dropped = ring.count + skipped;
      noteLost(ring, dropped, seq > ring.nextSeq ? seq - 1 : ring.nextSeq - 1);
    }
    ring.started = true;
    ring.head = 0;
    ring.count = 0;
    ring.usedBytes = 0;
    ring.writeAt = 0;
    ring.firstSeq = seq;
    if (ring.ackedSeq >= seq) ring.ackedSeq = seq - 1;
  }
  const length = line.length;
  ring.nextSeq = seq + 1;
  if (length > ring.maxBytes) {
    const held = ring.count;
    while (ring.count > 0) dropOldest(ring);
    ring.firstSeq = seq + 1;
    noteLost(ring, held + 1, seq);
    return dropped + held + 1;
  }
  let evicted = 0;
  while (ring.count > 0 && (ring.count >= ring.maxLines || ring.usedBytes + length > ring.maxBytes)) {
    dropOldest(ring);
    evicted++;
  }
  noteLost(ring, evicted, ring.firstSeq - 1);
  const slot = (ring.head + ring.count) % ring.maxLines;
  ring.starts[slot] = ring.writeAt;
  ring.lengths[slot] = length;
  let at = ring.writeAt;
  for (let i = 0; i < length; i++) {
    ring.bytes[at] = line.charCodeAt(i) & 255;
    at++;
    if (at === ring.maxBytes) at = 0;
  }
  ring.writeAt = at;
  ring.usedBytes += length;
  ring.count++;
  return dropped + evicted;
}

/** Drops every kept line with seq ≤ `seq`: the host has them. */
export function ringAck(ring: Ring, seq: number): void {
  if (seq > ring.ackedSeq) ring.ackedSeq = seq;
  while (ring.count > 0 && ring.firstSeq <= seq) dropOldest(ring);
}

/** Seq of the oldest kept line; nextSeq when nothing is kept. */
export function ringOldestSeq(ring: Ring): number {
  return ring.firstSeq;
}

function lineAt(ring: Ring, index: number): string {
  const slot = (ring.head + index) % ring.maxLines;
  let at = ring.starts[slot]!;
  const length = ring.lengths[slot]!;
  let text = "";
  for (let i = 0; i < length; i++) {
    text += String.fromCharCode(ring.bytes[at]!);
    at++;
    if (at === ring.maxBytes) at = 0;
  }
  return text;
}

/**
 * Emits every kept line with seq ≥ `seq`, oldest first, and returns the first seq it could emit from:
 * when that is greater than `seq`, the lines [seq, returned − 1] are gone (acknowledged or dropped).
 * `emit` must not push to this ring.
 */
export function ringFrom(ring: Ring, seq: number, emit: (line: string) => void): number {
  const oldest = ring.firstSeq;
  let index = seq > oldest ? seq - oldest : 0;
  for (; index < ring.count; index++) emit(lineAt(ring, index));
  return seq > oldest ? seq : oldest;
}

/**
 * The highest seq dropped unacknowledged since the last call, or -1 when nothing was dropped since.
 * Report it with an EVT_RING_OVERFLOW event, at most once per reporting interval: the event is itself a
 * record and may push another line out of a full ring.
 */
export function ringTakeOverflow(ring: Ring): number {
  if (ring.lostUnreported === 0) return -1;
  ring.lostUnreported = 0;
  return ring.lostLastSeq;
}
