// Events across every node in the order of their hybrid logical clocks (the `hlc` column the store
// fills as each event is stored: schema migration 3), ties broken by node and insertion.
import { hlcUnpack, type Hlc } from "../analysis/hlc.ts";
import type { Db } from "../store/open.ts";

export interface OrderedEvent {
  node: string;
  source: "board" | "host";
  code: string;
  value: string;
  hostNs: bigint;
  hlc: Hlc;
}

export function eventsByHlc(db: Db): OrderedEvent[] {
  return db
    .prepare<
      [],
      { node: string; source: "board" | "host"; code: string; value: string; hostNs: bigint; hlc: bigint }
    >(
      `SELECT n.name AS node, e.source, e.code, e.value, e.host_ns AS hostNs, e.hlc
       FROM events e JOIN nodes n ON n.id = e.node_id ORDER BY e.hlc, n.name, e.id`,
    )
    .safeIntegers()
    .all()
    .map((e) => {
      const unpacked = hlcUnpack(e.hlc);
      return { ...e, hlc: unpacked.ok ? unpacked.hlc : { physicalMs: 0, counter: 0 } };
    });
}
