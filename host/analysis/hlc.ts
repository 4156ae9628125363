// Hybrid logical clocks (Kulkarni, Demirbas et al., 2014): a timestamp is (l, c) with l the largest
// physical time (ms since the epoch, 48 bits) any event in its causal past has seen, and c (16 bits)
// counting events that share that l. If e happened before f then hlc(e) < hlc(f), while l stays within
// the clock skew of physical time. Packed as one 64-bit integer, l in the high 48 bits, so integer order
// is timestamp order. Bad input is a result with a reason, never a throw.

export interface Hlc {
  /** Physical part, ms since the POSIX epoch (0 … 2^48 − 1). */
  physicalMs: number;
  /** Logical counter (0 … 65 535). */
  counter: number;
}

export type HlcResult = { ok: true; hlc: Hlc } | { ok: false; reason: string };

export const HLC_MAX_PHYSICAL_MS = 2 ** 48 - 1;
export const HLC_MAX_COUNTER = 0xffff;

export const HLC_ZERO: Hlc = { physicalMs: 0, counter: 0 };

function validPhysical(ms: number): boolean {
  return Number.isInteger(ms) && ms >= 0 && ms <= HLC_MAX_PHYSICAL_MS;
}

export function hlcValid(h: Hlc): boolean {
  return (
    validPhysical(h.physicalMs) &&
    Number.isInteger(h.counter) &&
    h.counter >= 0 &&
    h.counter <= HLC_MAX_COUNTER
  );
}

function withCounter(physicalMs: number, counter: number): HlcResult {
  if (counter > HLC_MAX_COUNTER)
    return {
      ok: false,
      reason: `HLC counter overflow at ${physicalMs} ms: more than 65 535 events in one ms`,
    };
  return { ok: true, hlc: { physicalMs, counter } };
}

/** A local or send event at physical time `nowMs` (the node's time-of-day clock, which may be skewed). */
export function hlcTick(last: Hlc, nowMs: number): HlcResult {
  if (!validPhysical(nowMs))
    return { ok: false, reason: `physical time ${nowMs} ms is not a 48-bit ms count` };
  if (nowMs > last.physicalMs) return { ok: true, hlc: { physicalMs: nowMs, counter: 0 } };
  return withCounter(last.physicalMs, last.counter + 1);
}

/**
 * Receiving a message stamped `remote` at physical time `nowMs`. A remote physical part more than
 * `maxAheadMs` beyond the local clock is refused (a wrong or lying clock would otherwise drag every
 * later stamp forward with it).
 */
export function hlcReceive(last: Hlc, remote: Hlc, nowMs: number, maxAheadMs = Infinity): HlcResult {
  if (!validPhysical(nowMs))
    return { ok: false, reason: `physical time ${nowMs} ms is not a 48-bit ms count` };
  if (!hlcValid(remote)) return { ok: false, reason: "the remote timestamp is not a valid HLC" };
  if (remote.physicalMs - nowMs > maxAheadMs)
    return {
      ok: false,
      reason: `remote timestamp is ${remote.physicalMs - nowMs} ms ahead of the local clock (at most ${maxAheadMs} ms allowed)`,
    };
  const l = Math.max(last.physicalMs, remote.physicalMs, nowMs);
  if (l === last.physicalMs && l === remote.physicalMs)
    return withCounter(l, Math.max(last.counter, remote.counter) + 1);
  if (l === last.physicalMs) return withCounter(l, last.counter + 1);
  if (l === remote.physicalMs) return withCounter(l, remote.counter + 1);
  return { ok: true, hlc: { physicalMs: l, counter: 0 } };
}

export function hlcCompare(a: Hlc, b: Hlc): number {
  return a.physicalMs - b.physicalMs || a.counter - b.counter;
}

export function hlcPack(h: Hlc): bigint {
  return (BigInt(h.physicalMs) << 16n) | BigInt(h.counter);
}

export function hlcUnpack(packed: bigint): HlcResult {
  if (packed < 0n || packed >= 1n << 64n) return { ok: false, reason: `${packed} is not a 64-bit HLC` };
  return { ok: true, hlc: { physicalMs: Number(packed >> 16n), counter: Number(packed & 0xffffn) } };
}

export function hlcFormat(h: Hlc): string {
  return `${new Date(h.physicalMs).toISOString()}+${h.counter}`;
}

/** A total order of events from many nodes: by HLC, then node, then the node's own sequence. */
export function compareStamped(
  a: { hlc: Hlc; node: string; seq: number },
  b: { hlc: Hlc; node: string; seq: number },
): number {
  return hlcCompare(a.hlc, b.hlc) || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0) || a.seq - b.seq;
}
