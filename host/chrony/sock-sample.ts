// chronyd's SOCK refclock sample (chrony refclock_sock.c, struct sock_sample) as laid out on 64-bit
// Linux: a timeval of two 8-byte fields, a double, four ints; 40 bytes, native byte order.
//   0 tv_sec  8 tv_usec  16 offset (s, true − system)  24 pulse  28 leap  32 _pad  36 magic
import { endianness } from "node:os";

export const SOCK_SAMPLE_BYTES = 40;
export const SOCK_MAGIC = 0x534f434b;

/** chrony's leap values: none, a second inserted at the end of the day, one deleted. */
export const LEAP_NORMAL = 0;
export const LEAP_INSERT = 1;
export const LEAP_DELETE = 2;
export type LeapFlag = typeof LEAP_NORMAL | typeof LEAP_INSERT | typeof LEAP_DELETE;

export interface SockSample {
  /** System time of the measurement: whole seconds and microseconds since the POSIX epoch. */
  tvSec: bigint;
  tvUsec: number;
  /** True time − system time at tv, seconds. */
  offsetS: number;
  /** A pulse sample: offsetS places a second boundary; the seconds come from elsewhere. */
  pulse: boolean;
  leap: LeapFlag;
}

export type SockDecodeFailure = "size" | "magic" | "usec" | "leap" | "offset";

const LITTLE = endianness() === "LE";

/**
 * A sample measured at system time `systemNs` (ns since the epoch) with `offsetNs` = true − system.
 * The timeval holds µs only, so the ns it cannot hold move into the offset: tv + offset stays exact.
 */
export function sockSampleFromNs(
  systemNs: bigint,
  offsetNs: number,
  leap: LeapFlag,
  pulse = false,
): SockSample {
  const usec = systemNs / 1000n - (systemNs % 1000n < 0n ? 1n : 0n);
  const restNs = Number(systemNs - usec * 1000n);
  const tvSec = usec / 1_000_000n - (usec % 1_000_000n < 0n ? 1n : 0n);
  return {
    tvSec,
    tvUsec: Number(usec - tvSec * 1_000_000n),
    offsetS: (offsetNs + restNs) / 1e9,
    pulse,
    leap,
  };
}

export function encodeSockSample(sample: SockSample, into?: Buffer): Buffer {
  const buf = into ?? Buffer.alloc(SOCK_SAMPLE_BYTES);
  const view = new DataView(buf.buffer, buf.byteOffset, SOCK_SAMPLE_BYTES);
  view.setBigInt64(0, sample.tvSec, LITTLE);
  view.setBigInt64(8, BigInt(sample.tvUsec), LITTLE);
  view.setFloat64(16, sample.offsetS, LITTLE);
  view.setInt32(24, sample.pulse ? 1 : 0, LITTLE);
  view.setInt32(28, sample.leap, LITTLE);
  view.setInt32(32, 0, LITTLE);
  view.setInt32(36, SOCK_MAGIC, LITTLE);
  return buf;
}

/** Reads a datagram as chronyd would; never throws: a failure names what is wrong. */
export function decodeSockSample(buf: Uint8Array): SockSample | SockDecodeFailure {
  if (buf.length !== SOCK_SAMPLE_BYTES) return "size";
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getInt32(36, LITTLE) !== SOCK_MAGIC) return "magic";
  const tvUsec = view.getBigInt64(8, LITTLE);
  if (tvUsec < 0n || tvUsec >= 1_000_000n) return "usec";
  const leap = view.getInt32(28, LITTLE);
  if (leap !== LEAP_NORMAL && leap !== LEAP_INSERT && leap !== LEAP_DELETE) return "leap";
  const offsetS = view.getFloat64(16, LITTLE);
  if (!Number.isFinite(offsetS)) return "offset";
  return {
    tvSec: view.getBigInt64(0, LITTLE),
    tvUsec: Number(tvUsec),
    offsetS,
    pulse: view.getInt32(24, LITTLE) !== 0,
    leap,
  };
}
