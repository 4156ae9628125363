// Leases with fencing tokens (Gray & Cheriton's leases; the token as Kleppmann describes it). A lease
// on a resource is granted with a token one higher than any granted before. The granter gives it to
// someone else only once the old lease has certainly expired on its interval clock, and a holder acts
// only while its lease has certainly not expired on its own. Clocks and pauses can still fool a holder
// (it checks, then sleeps), so the store keeps the highest token it has accepted and refuses anything
// lower; it also refuses tokens higher than any granted ("from the future": forged or corrupted).
import { certainlyAfter, certainlyBefore, type TimeInterval } from "./time-interval.ts";

export interface Lease {
  holder: string;
  token: number;
  /** End of the lease, ns since the POSIX epoch. */
  expiresNs: number;
}

export interface LeaseTable {
  /** The highest token granted so far (0: none). */
  highestToken: number;
  current: Lease | null;
}

export const EMPTY_LEASES: LeaseTable = { highestToken: 0, current: null };

export type GrantResult =
  | { granted: true; lease: Lease; table: LeaseTable }
  | { granted: false; reason: string; holder: string; expiresNs: number };

/**
 * Grants the lease to `requester` for `durationNs` from the granter's `now`, unless the current lease
 * may still be running. The expiry counts from the latest `now` can be, so the lease is never shorter
 * than asked.
 */
export function grantLease(
  table: LeaseTable,
  requester: string,
  now: TimeInterval,
  durationNs: number,
): GrantResult {
  const current = table.current;
  if (current !== null && !certainlyAfter(now, current.expiresNs))
    return {
      granted: false,
      reason: `lease held by ${current.holder} (token ${current.token}) until ${current.expiresNs} ns and not certainly expired`,
      holder: current.holder,
      expiresNs: current.expiresNs,
    };
  const lease = { holder: requester, token: table.highestToken + 1, expiresNs: now.latestNs + durationNs };
  return { granted: true, lease, table: { highestToken: lease.token, current: lease } };
}

/** A holder may act on its lease only while the expiry is certainly still ahead on its own clock. */
export function holderMayAct(lease: Lease, holderNow: TimeInterval): boolean {
  return certainlyBefore(holderNow, lease.expiresNs);
}

export interface FenceState {
  /** The highest token the store has accepted a write with (0: none). */
  highestSeen: number;
}

export type FenceVerdict =
  | { accepted: true; state: FenceState }
  | { accepted: false; reason: "stale-token" | "token-from-the-future" | "not-a-token"; detail: string };

/** The store's check of a write carrying `token`, given the highest token granted so far. */
export function checkFencedWrite(state: FenceState, token: number, highestGranted: number): FenceVerdict {
  if (!Number.isSafeInteger(token) || token < 1)
    return { accepted: false, reason: "not-a-token", detail: `${token} is not a positive integer token` };
  if (token > highestGranted)
    return {
      accepted: false,
      reason: "token-from-the-future",
      detail: `token ${token} was never granted (highest granted ${highestGranted})`,
    };
  if (token < state.highestSeen)
    return {
      accepted: false,
      reason: "stale-token",
      detail: `token ${token} is older than token ${state.highestSeen}, already used`,
    };
  return { accepted: true, state: { highestSeen: token } };
}
