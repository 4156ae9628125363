// A virtual-lab board as the link of a BoardExchange: its host-bound bytes are decoded into records
// stamped with the host's monotonic clock when they arrive, and commands go straight to the board.
import type { LabNode } from "../../sim/lab.ts";
import { createRecordStream, type RecordStream } from "../protocol/record-stream.ts";
import type { BoardExchange } from "./board-exchange.ts";

export function labNodeRecords(
  node: LabNode,
  exchange: () => BoardExchange,
  monoNs: () => bigint,
): RecordStream {
  const stream = createRecordStream((record) => exchange().push(record, monoNs()));
  node.onHostBound((data) => stream.push(data));
  return stream;
}
