// What the host learned from one node's record stream during a lab run: records by type, sequence
// gaps, boots, PPS intervals and NMEA labels. The input of the run summary.
import type { DecodedRecord } from "../../firmware/src/protocol.ts";
import {
  PPS_GLITCH,
  PPS_MISSED,
  PPS_QUEUE_OVERFLOW,
  REC_EVENT,
  REC_NMEA,
  REC_PPS,
} from "../../firmware/src/protocol.ts";
import { createRecordStream, type RecordStream } from "../protocol/record-stream.ts";

export interface NodeTally {
  stream: RecordStream;
  byType: Record<string, number>;
  bootIds: string[];
  /** Next expected sequence number per boot id. */
  nextSeq: Map<string, number>;
  /** Records missing from the sequence, summed over boots. */
  missingRecords: number;
  ppsEdges: number;
  ppsFlagged: number;
  /** Intervals between consecutive unflagged edges, local µs. */
  goodIntervalsUs: number[];
  labels: { valid: number; invalid: number; unflagged: number };
  /** Event records by code (boot, gps_lost, step, leap, ring_overflow, …). */
  events: Record<string, number>;
}

/** `onRecord` sees every decoded record after it has been counted. */
export function createNodeTally(onRecord?: (record: DecodedRecord) => void): NodeTally {
  const tally: NodeTally = {
    stream: createRecordStream((record) => {
      count(tally, record);
      onRecord?.(record);
    }),
    byType: {},
    bootIds: [],
    nextSeq: new Map(),
    missingRecords: 0,
    ppsEdges: 0,
    ppsFlagged: 0,
    goodIntervalsUs: [],
    labels: { valid: 0, invalid: 0, unflagged: 0 },
    events: {},
  };
  return tally;
}

function count(tally: NodeTally, record: DecodedRecord): void {
  tally.byType[record.type] = (tally.byType[record.type] ?? 0) + 1;
  if (!tally.nextSeq.has(record.bootId)) tally.bootIds.push(record.bootId);
  const next = tally.nextSeq.get(record.bootId) ?? 0;
  if (record.seq > next) tally.missingRecords += record.seq - next;
  if (record.seq >= next) tally.nextSeq.set(record.bootId, record.seq + 1);
  if (record.type === REC_PPS) {
    tally.ppsEdges++;
    const intervalUs = Number(record.fields[1]);
    const flags = Number(record.fields[2]);
    if ((flags & (PPS_GLITCH | PPS_MISSED | PPS_QUEUE_OVERFLOW)) !== 0) tally.ppsFlagged++;
    else if (intervalUs > 0) tally.goodIntervalsUs.push(intervalUs);
  } else if (record.type === REC_EVENT) {
    const code = record.fields[1] ?? "?";
    tally.events[code] = (tally.events[code] ?? 0) + 1;
  } else if (record.type === REC_NMEA) {
    const validity = record.fields[5];
    if (validity === "1") tally.labels.valid++;
    else if (validity === "0") tally.labels.invalid++;
    else tally.labels.unflagged++;
  }
}
