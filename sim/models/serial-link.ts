// One direction of a UART link: paces bytes at baud, adds a fixed latency, loses and corrupts bytes
// at seeded rates, and can be unplugged.
//
// Timing: a write at true time t starts when the line is free (writes queue behind each other); byte
// i (0-based) has left the sender at start + (i + 1)·byteTimeS and arrives latencyS later. A chunk is
// delivered at the arrival time of its LAST byte (the receiver cannot have it earlier); set
// maxChunkBytes to trade scheduler events for finer arrival times. A write is one chunk unless bytes
// are lost inside it, the link is unplugged or replugged during it, or maxChunkBytes splits it.
//
// Unplugging loses every byte whose transmission ends while the link is unplugged; chunks in flight
// are split at the unplug and replug instants, so each chunk lies wholly on one side of them.
//
// Loss and corruption draw geometric gaps between affected bytes (one draw per event, not per byte).

import type { ByteSink, Rng, Scheduler } from "../contracts.ts";
import { paramChecks } from "./params.ts";

const { fail, rate } = paramChecks("serial link");

export interface SerialLinkOptions {
  scheduler: Scheduler;
  rng: Rng;
  baud: number;
  /** Bits per byte on the wire, start and stop bits included (8N1 = 10). */
  bitsPerByte?: number;
  latencyS?: number;
  byteLossRate?: number;
  /** Fraction of bytes with one bit flipped. */
  byteCorruptRate?: number;
  sink: ByteSink;
  maxChunkBytes?: number;
}

export interface SerialLinkCounters {
  writes: number;
  bytesWritten: number;
  bytesDelivered: number;
  chunksDelivered: number;
  /** Lost to the random byte-loss process. */
  bytesLost: number;
  bytesCorrupted: number;
  /** Lost because the link was unplugged while they were sent. */
  bytesLostUnplugged: number;
}

export interface SerialLink extends ByteSink {
  readonly byteTimeS: number;
  readonly plugged: boolean;
  /** True time at which everything written so far has left the sender. */
  readonly lineFreeAtS: number;
  readonly counters: Readonly<SerialLinkCounters>;
  unplug(): void;
  replug(): void;
}

interface Chunk {
  data: string;
  /** True time at which the chunk's first byte has left the sender. */
  firstEndS: number;
  lost: boolean;
  handle: number;
}

/** Number of unaffected items before the next affected one, for per-item probability p. */
function geometricGap(rng: Rng, p: number): number {
  if (p <= 0) return Infinity;
  if (p >= 1) return 0;
  return Math.floor(Math.log(1 - rng.uniform()) / Math.log(1 - p));
}

export function createSerialLink(options: SerialLinkOptions): SerialLink {
  const { scheduler, sink } = options;
  if (typeof scheduler?.at !== "function") fail("scheduler is required");
  if (typeof sink?.deliver !== "function") fail("sink is required");
  const baud = options.baud;
  if (typeof baud !== "number" || !(baud > 0) || !Number.isFinite(baud))
    fail(`baud must be > 0, got ${String(baud)}`);
  const bitsPerByte = options.bitsPerByte ?? 10;
  if (!(bitsPerByte > 0) || !Number.isFinite(bitsPerByte))
    fail(`bitsPerByte must be > 0, got ${bitsPerByte}`);
  const latencyS = options.latencyS ?? 0;
  if (typeof latencyS !== "number" || !(latencyS >= 0) || !Number.isFinite(latencyS)) {
    fail(`latencyS must be finite and ≥ 0, got ${String(latencyS)}`);
  }
  const lossRate = rate("byteLossRate", options.byteLossRate);
  const corruptRate = rate("byteCorruptRate", options.byteCorruptRate);
  const maxChunkBytes = options.maxChunkBytes ?? Infinity;
  if (!(maxChunkBytes >= 1)) fail(`maxChunkBytes must be ≥ 1, got ${maxChunkBytes}`);
  const lossRng = options.rng.fork("serial-loss");
  const corruptRng = options.rng.fork("serial-corrupt");

  const byteTimeS = bitsPerByte / baud;
  const counters: SerialLinkCounters = {
    writes: 0,
    bytesWritten: 0,
    bytesDelivered: 0,
    chunksDelivered: 0,
    bytesLost: 0,
    bytesCorrupted: 0,
    bytesLostUnplugged: 0,
  };
  let plugged = true;
  let lineFreeAtS = -Infinity;
  let untilLoss = geometricGap(lossRng, lossRate);
  let untilCorrupt = geometricGap(corruptRng, corruptRate);
  const pending: Chunk[] = [];

  const fire = (chunk: Chunk, atS: number): void => {
    const i = pending.indexOf(chunk);
    if (i >= 0) pending.splice(i, 1);
    if (chunk.lost) {
      counters.bytesLostUnplugged += chunk.data.length;
      return;
    }
    counters.bytesDelivered += chunk.data.length;
    counters.chunksDelivered++;
    sink.deliver(chunk.data, atS);
  };

  const schedule = (chunk: Chunk): void => {
    const arrivalS = Math.max(
      chunk.firstEndS + (chunk.data.length - 1) * byteTimeS + latencyS,
      scheduler.now,
    );
    chunk.handle = scheduler.at(arrivalS, () => fire(chunk, arrivalS));
  };

  const addChunk = (data: string, firstEndS: number): void => {
    for (let i = 0; i < data.length; i += maxChunkBytes) {
      const part = maxChunkBytes >= data.length ? data : data.slice(i, i + maxChunkBytes);
      const chunk: Chunk = { data: part, firstEndS: firstEndS + i * byteTimeS, lost: !plugged, handle: 0 };
      pending.push(chunk);
      schedule(chunk);
    }
  };

  const corrupt = (data: string): string => {
    if (untilCorrupt >= data.length) {
      untilCorrupt -= data.length;
      return data;
    }
    let out = "";
    let from = 0;
    let i = untilCorrupt;
    while (i < data.length) {
      const bit = 1 << corruptRng.int(0, 7);
      out += data.slice(from, i) + String.fromCharCode((data.charCodeAt(i) ^ bit) & 0xff);
      counters.bytesCorrupted++;
      from = i + 1;
      untilCorrupt = geometricGap(corruptRng, corruptRate);
      i = from + untilCorrupt;
    }
    untilCorrupt = i - data.length;
    return out + data.slice(from);
  };

  /** Splits in-flight chunks at true time s; bytes sent after s get lost = lostAfter. */
  const splitAt = (s: number, lostAfter: boolean): void => {
    for (let j = 0; j < pending.length; j++) {
      const chunk = pending[j] as Chunk;
      const n = chunk.data.length;
      const sentBefore = Math.min(n, Math.max(0, Math.floor((s - chunk.firstEndS) / byteTimeS + 1e-9) + 1));
      if (sentBefore === n) continue;
      if (sentBefore === 0) {
        chunk.lost = lostAfter;
        continue;
      }
      scheduler.cancel(chunk.handle);
      const later: Chunk = {
        data: chunk.data.slice(sentBefore),
        firstEndS: chunk.firstEndS + sentBefore * byteTimeS,
        lost: lostAfter,
        handle: 0,
      };
      chunk.data = chunk.data.slice(0, sentBefore);
      schedule(chunk);
      schedule(later);
      pending.splice(j + 1, 0, later);
      j++;
    }
  };

  return {
    byteTimeS,
    get plugged() {
      return plugged;
    },
    get lineFreeAtS() {
      return lineFreeAtS;
    },
    counters,
    deliver(data, trueTimeS) {
      if (typeof data !== "string") fail("data must be a string");
      if (!Number.isFinite(trueTimeS)) fail(`write time must be finite, got ${trueTimeS}`);
      if (trueTimeS < scheduler.now - 1e-9)
        fail(`write at ${trueTimeS} s is in the past (now ${scheduler.now} s)`);
      const n = data.length;
      if (n === 0) return;
      counters.writes++;
      counters.bytesWritten += n;
      const startS = Math.max(trueTimeS, lineFreeAtS);
      lineFreeAtS = startS + n * byteTimeS;
      const bytes = corruptRate > 0 ? corrupt(data) : data;
      let i = 0;
      while (i < n) {
        const remaining = n - i;
        if (untilLoss >= remaining) {
          untilLoss -= remaining;
          addChunk(i === 0 ? bytes : bytes.slice(i), startS + (i + 1) * byteTimeS);
          break;
        }
        if (untilLoss > 0) addChunk(bytes.slice(i, i + untilLoss), startS + (i + 1) * byteTimeS);
        counters.bytesLost++;
        i += untilLoss + 1;
        untilLoss = geometricGap(lossRng, lossRate);
      }
    },
    unplug() {
      if (!plugged) return;
      splitAt(scheduler.now, true);
      plugged = false;
    },
    replug() {
      if (plugged) return;
      splitAt(scheduler.now, false);
      plugged = true;
    },
  };
}
