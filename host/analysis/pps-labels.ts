// Which UTC second each PPS edge marks. Time-core boards say so themselves (servo records carry the
// edge's GPS second); for observer boards the host pairs each edge with the NMEA time that follows it
// within a second, as the firmware's own labelling does.

export interface Edge {
  localNs: number;
  flags: number;
}

export interface NmeaLabel {
  localNs: number;
  /** yyyymmdd, 0 when the sentence had no date. */
  ymd: number;
  /** hhmmss, ss = 60 in a leap second. */
  hms: number;
  /** 1 valid, 0 invalid, −1 no flag. */
  valid: number;
}

export interface LabelledEdge {
  /** Whole seconds, increasing; POSIX seconds for NMEA-labelled edges. */
  second: number;
  localNs: number;
}

const NS_PER_S = 1e9;

function posixSecond(ymd: number, hms: number): number {
  const year = Math.floor(ymd / 10000);
  const month = Math.floor(ymd / 100) % 100;
  const day = ymd % 100;
  return (
    Date.UTC(year, month - 1, day, Math.floor(hms / 10000), Math.floor(hms / 100) % 100, hms % 100) / 1000
  );
}

/**
 * Pairs edges with the NMEA label that completes within one second after each (labels flagged invalid
 * are skipped; a label without a date borrows the last date seen). `offsetS` is added to every label
 * (−1 for receivers that name the next edge). Seconds come out strictly increasing: a repeated or
 * backward label (a leap second shown as a repeated 23:59:59) is dropped, not guessed.
 */
export function labelEdgesFromNmea(
  edges: readonly Edge[],
  labels: readonly NmeaLabel[],
  offsetS = 0,
): LabelledEdge[] {
  const out: LabelledEdge[] = [];
  let edgeIndex = 0;
  let lastYmd = 0;
  let lastSecond = -Infinity;
  for (const label of labels) {
    if (label.ymd !== 0) lastYmd = label.ymd;
    if (label.valid === 0 || lastYmd === 0) continue;
    while (edgeIndex + 1 < edges.length && edges[edgeIndex + 1]!.localNs <= label.localNs) edgeIndex++;
    const edge = edges[edgeIndex];
    if (!edge || edge.localNs > label.localNs || label.localNs - edge.localNs >= NS_PER_S) continue;
    const second = posixSecond(lastYmd, label.hms) + offsetS;
    if (second <= lastSecond || out.at(-1)?.localNs === edge.localNs) continue;
    lastSecond = second;
    out.push({ second, localNs: edge.localNs });
  }
  return out;
}

/** Servo records as labelled edges, in order, without repeats. */
export function labelEdgesFromServo(
  servo: readonly { edgeLocalNs: number; gpsSecond: number }[],
): LabelledEdge[] {
  const out: LabelledEdge[] = [];
  for (const s of servo) {
    const last = out.at(-1);
    if (last && (s.gpsSecond <= last.second || s.edgeLocalNs <= last.localNs)) continue;
    out.push({ second: s.gpsSecond, localNs: s.edgeLocalNs });
  }
  return out;
}
