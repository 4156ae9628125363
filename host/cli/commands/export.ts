import { writeFileSync } from "node:fs";
import { Option } from "commander";
import { ppsToPhase } from "../../analysis/stability/pps-phase.ts";
import { phaseToFrequency } from "../../analysis/stability/series.ts";
import { openStore, StoreError, type Db } from "../../store/open.ts";
import {
  findNode,
  labelledEdges,
  listNodes,
  nodeBoots,
  ppsEdges,
  type BootRow,
  type NodeRow,
} from "../../store/read.ts";
import { CliError } from "../errors.ts";
import type { RegisterCommand } from "../main.ts";
import { parseLabelOffset } from "../options.ts";
import { DEFAULT_DB } from "./collect.ts";

type Format = "csv" | "phase" | "freq";

interface ExportOptions {
  db: string;
  node: string;
  format: Format;
  boot?: string;
  out?: string;
  labelOffset?: number;
}

function pickBoot(db: Db, node: NodeRow, wanted: string | undefined): BootRow {
  const boots = nodeBoots(db, node.id);
  if (boots.length === 0) throw new CliError(`node ${node.name} has no records yet in this database`);
  if (wanted !== undefined) {
    const found = boots.find((b) => b.bootId === wanted);
    if (!found)
      throw new CliError(
        `node ${node.name} has no boot ${wanted}; its boots: ${boots.map((b) => b.bootId).join(", ")}`,
      );
    return found;
  }
  // The local clock restarts at every boot, so a series is one boot's: the one with most records.
  return boots.reduce((a, b) => (b.records > a.records ? b : a));
}

const sci = (v: number) => (Number.isFinite(v) ? v.toExponential(12) : "NaN");

function render(db: Db, node: NodeRow, boot: BootRow, options: ExportOptions): string[] {
  const { bootId, bootKey } = boot;
  const edges = labelledEdges(db, bootKey, options.labelOffset ?? 0);
  if (options.format === "csv") {
    const secondOf = new Map(edges.map((e) => [e.localNs, e.second]));
    return [
      "boot_id,seq,host_ns,local_ns,interval_ns,flags,utc_second",
      ...ppsEdges(db, bootKey).map(
        (e) =>
          `${bootId},${e.seq},${e.hostNs},${e.localNs},${e.intervalNs},${e.flags},${secondOf.get(e.localNs) ?? ""}`,
      ),
    ];
  }
  if (edges.length < 2)
    throw new CliError(
      `node ${node.name} boot ${bootId} has ${edges.length} GPS-labelled PPS edges; phase and frequency need at least 2 (is the GPS fixed?)`,
    );
  const phase = ppsToPhase(
    edges.map((e) => e.second),
    edges.map((e) => e.localNs / 1e9),
  );
  const values = options.format === "phase" ? phase : phaseToFrequency(phase, 1);
  const gaps = values.reduce((n, v) => (Number.isFinite(v) ? n : n + 1), 0);
  const what =
    options.format === "phase"
      ? "phase (time error) of the board clock against GPS PPS, seconds; + = board clock ahead"
      : "fractional frequency error of the board clock against GPS PPS; + = board clock fast";
  return [
    `# timenode ${what}`,
    `# node ${node.name} (${node.board}, serial ${node.serial}), boot ${bootId}`,
    `# first second ${new Date(edges[0]!.second * 1000).toISOString()}, tau0 1 s, ${values.length} points, ${gaps} missing (NaN)`,
    ...Array.from(values, sci),
  ];
}

export const registerExport: RegisterCommand = (program, ctx) => {
  program
    .command("export")
    .description(
      "write one node's readings as CSV, or as phase / frequency data files for Stable32-style tools",
    )
    .addOption(new Option("--db <file>", "database written by timenode collect").default(DEFAULT_DB))
    .requiredOption("--node <name>", "node name or chip serial (timenode export --node ? lists them)")
    .addOption(
      new Option("--format <format>", "csv (every PPS edge), phase or freq (one value per second)")
        .choices(["csv", "phase", "freq"])
        .default("csv"),
    )
    .option("--boot <id>", "boot id (default: the node's boot with most records)")
    .option("--out <file>", "write here instead of stdout")
    .option(
      "--label-offset <s>",
      "for boards without a time core: seconds added to NMEA labels",
      parseLabelOffset,
    )
    .action((options: ExportOptions) => {
      let db: Db;
      try {
        db = openStore(options.db, { readonly: true }).db;
      } catch (error) {
        if (error instanceof StoreError) throw new CliError(error.message);
        throw error;
      }
      try {
        const node = findNode(db, options.node);
        if (!node) {
          const names = listNodes(db).map((n) => n.name);
          throw new CliError(
            `no node "${options.node}" in ${options.db}; ${names.length > 0 ? `nodes: ${names.join(", ")}` : "it has no nodes yet"}`,
          );
        }
        const lines = render(db, node, pickBoot(db, node, options.boot), options);
        if (options.out) writeFileSync(options.out, lines.join("\n") + "\n");
        else for (const line of lines) ctx.out.line(line);
      } finally {
        db.close();
      }
    });
};
