// PTP sessions in the terminal report: one row per `timenode sync` run with the numbers people look for
// (the JSON and the HTML page carry the series over time).
import { formatTable } from "../cli/table.ts";
import { formatNs } from "../cli/units.ts";
import type { SyncSessionModel } from "./store.ts";

export function syncTable(sessions: readonly SyncSessionModel[]): string {
  return formatTable(
    [
      "PTP SESSION",
      "ROLE",
      "MASTER",
      "STARTED (UTC)",
      "EXCHANGES",
      "|OFFSET| median",
      "DELAY median",
      "BOUND median",
      "STATE",
    ],
    sessions.map((s) => [
      s.session.slice(0, 8),
      s.role,
      s.peer ?? "—",
      new Date(Number(BigInt(s.startHostNs) / 1_000_000n)).toISOString().replace(/\.\d+Z$/, "Z"),
      String(s.exchanges),
      formatNs(s.medianAbsOffsetNs),
      formatNs(s.medianDelayNs),
      `±${formatNs(s.medianBoundNs)}`,
      s.lastState ?? "—",
    ]),
  );
}
