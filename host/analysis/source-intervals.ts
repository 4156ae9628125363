// Clock readings as intervals [earliest, latest] that should contain the true time, one per source
// (node). Any unit, as long as every interval in one call uses the same one. Bad intervals are never
// thrown on: they are set aside with the reason, so the algorithms run on what is left.

export interface SourceInterval {
  /** The source's name (node name). */
  id: string;
  earliest: number;
  latest: number;
}

export interface RejectedInterval {
  id: string;
  reason: string;
}

export interface CheckedIntervals {
  valid: SourceInterval[];
  rejected: RejectedInterval[];
}

/** Splits intervals into usable ones and rejected ones (not finite, earliest > latest, repeated id). */
export function checkIntervals(sources: readonly SourceInterval[]): CheckedIntervals {
  const valid: SourceInterval[] = [];
  const rejected: RejectedInterval[] = [];
  const seen = new Set<string>();
  for (const s of sources) {
    if (!Number.isFinite(s.earliest) || !Number.isFinite(s.latest))
      rejected.push({ id: s.id, reason: "earliest and latest must be finite numbers" });
    else if (s.earliest > s.latest)
      rejected.push({ id: s.id, reason: `earliest ${s.earliest} is after latest ${s.latest}` });
    else if (seen.has(s.id)) rejected.push({ id: s.id, reason: "a second interval from the same source" });
    else {
      seen.add(s.id);
      valid.push({ id: s.id, earliest: s.earliest, latest: s.latest });
    }
  }
  return { valid, rejected };
}

/** True when the closed intervals [a.earliest, a.latest] and [earliest, latest] share a point. */
export function overlaps(a: SourceInterval, earliest: number, latest: number): boolean {
  return a.earliest <= latest && a.latest >= earliest;
}
