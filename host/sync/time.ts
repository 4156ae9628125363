// PTP timestamps (48-bit seconds + nanoseconds) as int64 nanoseconds (bigint) and back. Exchange maths
// takes differences of bigints, so nothing near 10^18 ns ever passes through a double.

export const NS_PER_S = 1_000_000_000n;

export function ptpToNs(seconds: number, nanoseconds: number): bigint {
  return BigInt(seconds) * NS_PER_S + BigInt(nanoseconds);
}

/** Seconds and nanoseconds of a time at or after the epoch (earlier times clamp to 0). */
export function nsToPtp(ns: bigint): { seconds: number; nanoseconds: number } {
  if (ns < 0n) return { seconds: 0, nanoseconds: 0 };
  return { seconds: Number(ns / NS_PER_S), nanoseconds: Number(ns % NS_PER_S) };
}

/** a − b in ns as a double (exact below 2^53 ns, about 104 days). */
export function diffNs(a: bigint, b: bigint): number {
  return Number(a - b);
}
