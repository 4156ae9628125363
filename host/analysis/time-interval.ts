// A clock reading as an interval [earliest, latest] (ns on one scale, e.g. from a reference epoch) that
// contains true time.
// Decisions that must not be wrong ask whether a moment is certainly past or certainly still to come;
// while it lies inside the interval the answer is "not certain", and the caller must wait.

export interface TimeInterval {
  earliestNs: number;
  latestNs: number;
}

/** True time is certainly after `tNs`: even the earliest it can be is later. */
export function certainlyAfter(now: TimeInterval, tNs: number): boolean {
  return now.earliestNs > tNs;
}

/** True time is certainly before `tNs`: even the latest it can be is earlier. */
export function certainlyBefore(now: TimeInterval, tNs: number): boolean {
  return now.latestNs < tNs;
}
