import { Option } from "commander";
import type { TrueTime } from "../../analysis/true-time.ts";
import { storeTrueTime, systemHostNs } from "../../truth/interval-clock.ts";
import { isoNs, trueTimeJson } from "../../truth/format.ts";
import { EXIT_FAILURE } from "../errors.ts";
import type { CommandContext, RegisterCommand } from "../main.ts";
import { parseNonNegativeInt } from "../options.ts";
import { formatTable } from "../table.ts";
import { fixed, formatNs } from "../units.ts";
import { DEFAULT_DB } from "./collect.ts";
import { openForReading } from "./report.ts";

interface NowOptions {
  db: string;
  live?: boolean;
  faults?: number;
  json?: boolean;
}

function printNow(t: TrueTime, options: NowOptions, ctx: CommandContext): void {
  const moment = options.live ? "now on this host" : `at the newest reading in ${options.db}`;
  if (t.earliestNs === null || t.latestNs === null) ctx.out.line(`time ${moment}: unknown: ${t.reason}`);
  else {
    const halfNs = Number(t.latestNs - t.earliestNs) / 2;
    const midNs = t.earliestNs + (t.latestNs - t.earliestNs) / 2n;
    const agreeing = t.nodes.filter((n) => n.role === "truechimer").length;
    const usable = t.nodes.filter((n) => n.role !== "excluded").length;
    ctx.out.line(`time ${moment}: ${isoNs(midNs)} ±${formatNs(halfNs)}, ${t.status}`);
    ctx.out.line(`  earliest ${isoNs(t.earliestNs)}`);
    ctx.out.line(`  latest   ${isoNs(t.latestNs)}`);
    const f = t.majority?.faultsAllowed ?? 0;
    ctx.out.line(
      `  ${agreeing} of ${usable} node${usable === 1 ? "" : "s"} agree; ${options.faults !== undefined ? `holds with up to ${f} wrong, whatever they say` : `assuming the fewest faults consistent with the readings (${f})`}`,
    );
  }
  const rows = t.nodes.map((n) => [
    n.name,
    n.status,
    n.role,
    `${fixed(n.ageS, 1)} s`,
    n.earliestNs !== null && n.latestNs !== null
      ? `±${formatNs(Number(n.latestNs - n.earliestNs) / 2)}`
      : "—",
    Number.isFinite(n.growthPpb) ? `${fixed(n.growthPpb, 1)} ppb` : "—",
    n.reason ?? "",
  ]);
  if (rows.length > 0)
    ctx.out.line(formatTable(["NODE", "STATUS", "ROLE", "SINCE PPS", "INTERVAL", "GROWTH", "NOTE"], rows));
}

export const registerNow: RegisterCommand = (program, ctx) => {
  program
    .command("now")
    .description(
      "the current time as [earliest, latest] with a status (synchronized, holdover, free-running, unknown) from the nodes in a database: each node's last reading carried forward at its measured holdover growth, combined by majority with falsetickers named",
    )
    .addOption(
      new Option("--db <file>", "database written by timenode collect or timenode lab").default(DEFAULT_DB),
    )
    .option(
      "--live",
      "ask about this host's present moment (the database must be one a collector on this host is writing); without it, the moment of the newest reading in the database",
    )
    .option(
      "--faults <f>",
      "claim a time only if it holds with f nodes wrong, whatever they say (needs at least 2f + 1 nodes)",
      parseNonNegativeInt,
    )
    .option("--json", "print the result as JSON")
    .action((options: NowOptions) => {
      const db = openForReading(options.db);
      try {
        const t = storeTrueTime(db, {
          ...(options.live ? { hostNs: systemHostNs } : {}),
          ...(options.faults !== undefined ? { faults: options.faults } : {}),
        });
        if (options.json) ctx.out.json({ db: options.db, live: Boolean(options.live), ...trueTimeJson(t) });
        else printNow(t, options, ctx);
        if (t.status === "unknown") ctx.exitCode = EXIT_FAILURE;
      } finally {
        db.close();
      }
    });
};
