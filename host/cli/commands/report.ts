import { writeFileSync } from "node:fs";
import { Option } from "commander";
import { buildReport } from "../../report/build.ts";
import { renderHtml } from "../../report/html.ts";
import { reportTable } from "../../report/terminal.ts";
import { openStore, StoreError, type Db } from "../../store/open.ts";
import { findNode, listNodes } from "../../store/read.ts";
import { syncTable } from "../../sync/report-table.ts";
import { CliError } from "../errors.ts";
import type { RegisterCommand } from "../main.ts";
import { DEFAULT_DB } from "./collect.ts";

interface ReportOptions {
  db: string;
  node?: string;
  html?: string;
  json?: boolean;
}

export function openForReading(path: string): Db {
  try {
    return openStore(path, { readonly: true }).db;
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(error.message);
    throw error;
  }
}

export const registerReport: RegisterCommand = (program, ctx) => {
  program
    .command("report")
    .description(
      "per node: drift with its interval, temperature coefficient, ADEV/MDEV/TDEV with confidence intervals, clock bounds and events; as a table, JSON or an HTML page with charts",
    )
    .addOption(
      new Option("--db <file>", "database written by timenode collect or timenode lab").default(DEFAULT_DB),
    )
    .option("--node <name>", "only this node (name or chip serial)")
    .option("--html <file>", "also write a self-contained HTML page with charts")
    .option("--json", "print the whole report as JSON")
    .action(async (options: ReportOptions) => {
      const db = openForReading(options.db);
      try {
        if (options.node !== undefined && !findNode(db, options.node)) {
          const names = listNodes(db).map((n) => n.name);
          throw new CliError(
            `no node "${options.node}" in ${options.db}; ${names.length > 0 ? `nodes: ${names.join(", ")}` : "it has no nodes yet"}`,
          );
        }
        ctx.out.progress("analysing…");
        const model = buildReport(db, {
          title: `timenode report: ${options.db}`,
          source: options.db,
          ...(options.node !== undefined ? { node: options.node } : {}),
        });
        ctx.out.progressDone();
        if (options.html) writeFileSync(options.html, await renderHtml(model));
        if (options.json) ctx.out.json(model);
        else {
          ctx.out.line(reportTable(model));
          if (model.sync && model.sync.length > 0) ctx.out.line("\n" + syncTable(model.sync));
          if (options.html) ctx.out.line(`charts: ${options.html}`);
        }
      } finally {
        db.close();
      }
    });
};
