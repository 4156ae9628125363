import { existsSync, rmSync, writeFileSync } from "node:fs";
import { Option } from "commander";
import { getScenario, scenarioNames } from "../../../sim/scenarios.ts";
import { runLabJob, type LabJobResult } from "../../lab/lab-job.ts";
import { renderHtml } from "../../report/html.ts";
import { reportTable } from "../../report/terminal.ts";
import { CliError, UsageError } from "../errors.ts";
import type { CommandContext, RegisterCommand } from "../main.ts";
import { parseNonNegativeInt, parsePositiveNumber } from "../options.ts";
import { checkLabChoices } from "../lab-choices.ts";
import { findStory, storyNames } from "../../lab/scenarios/index.ts";
import { runStory } from "./lab-story.ts";
import { fixed, formatNs } from "../units.ts";

export const DEFAULT_LAB_BOARDS = ["pico", "esp32", "puckjs", "esp8266"];
export const DEFAULT_LAB_DB = "timenode-lab.db";
export const DEFAULT_LAB_HTML = "timenode-lab.html";

interface LabOptions {
  boards: string[];
  duration?: number;
  scenario: string;
  seed: number;
  db: string;
  html: string | false;
  json?: boolean;
}

/** The lab writes a fresh database: its own default file is replaced, anyone else's is left alone. */
function freshDatabase(path: string): void {
  if (!existsSync(path)) return;
  if (path !== DEFAULT_LAB_DB)
    throw new CliError(
      `${path} already exists; timenode lab writes a fresh database: remove it or pick another --db`,
    );
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
}

/** Every estimate with the lab's truth beside it. */
function jsonResult(result: LabJobResult, html: string | null) {
  return {
    scenario: result.scenario,
    seed: result.seed,
    durationS: result.durationS,
    db: result.db,
    html,
    nodes: result.report.nodes.map((n) => {
      const truth = result.truth.find((t) => t.name === n.name);
      const collected = result.collection.nodes.find((c) => c.name === n.name);
      return {
        name: n.name,
        board: n.board,
        oscillator: n.oscillator,
        collection: collected
          ? {
              stored: collected.stored,
              lost: collected.lost,
              duplicates: collected.duplicates,
              link: collected.link,
            }
          : null,
        drift: { estimatePpm: n.drift?.offsetPpm ?? null, truthPpm: truth?.driftPpm ?? null },
        aging: {
          estimatePpmPerDay: n.drift?.agingPpmPerDay ?? null,
          truthPpmPerDay: truth?.agingPpmPerDay ?? null,
        },
        temperatureCoefficient: {
          estimate: n.tempco
            ? { quadraticPpmPerC2: n.tempco.coefficients[2] ?? null, turnoverC: n.tempco.turnoverC }
            : null,
          truth: truth?.tempco ?? null,
          temperatureRangeC: n.tempco?.temperatureRangeC ?? null,
        },
        stability: n.stability,
        clockBounds: truth?.coverage ?? null,
        clockIntervals: n.intervals,
      };
    }),
  };
}

function printCoverage(result: LabJobResult, ctx: CommandContext): void {
  for (const t of result.truth) {
    if (!t.coverage) continue;
    const c = t.coverage;
    ctx.out.line(
      `${t.name}: UTC error rms ${formatNs(c.rmsErrorNs)}, worst ${formatNs(c.maxErrorNs)}; the 95 % bound (median ±${formatNs(c.medianHalfWidth95Ns)}) ` +
        `held for ${fixed(100 * c.inside95, 1)} % of ${c.readings} readings where ±${formatNs(c.neededHalfWidth95Ns)} would have sufficed; the hard bound for ${fixed(100 * c.insideHard, 1)} %`,
    );
  }
}

async function lab(options: LabOptions, ctx: CommandContext): Promise<void> {
  const story = findStory(options.scenario);
  if (story) {
    freshDatabase(options.db);
    return runStory(story, options, ctx);
  }
  checkLabChoices(options.boards, options.scenario);
  const durationS = Math.round(
    options.duration !== undefined ? options.duration * 3600 : getScenario(options.scenario).defaultDurationS,
  );
  if (durationS < 120)
    throw new UsageError("--duration must be at least 120 s (0.034 h): the receivers need a cold start");
  freshDatabase(options.db);
  const result = runLabJob({
    boards: options.boards,
    scenario: options.scenario,
    seed: options.seed,
    durationS,
    dbPath: options.db,
    onProgress: (t, total) =>
      ctx.out.progress(`virtual lab: ${(t / 3600).toFixed(1)} of ${(total / 3600).toFixed(1)} h`),
  });
  ctx.out.progress("rendering the report…");
  const html = options.html === false ? null : options.html;
  if (html) writeFileSync(html, await renderHtml(result.report));
  ctx.out.progressDone();
  if (options.json) {
    ctx.out.json(jsonResult(result, html));
    return;
  }
  ctx.out.line(
    `virtual lab: scenario ${result.scenario} (${getScenario(result.scenario).description}), seed ${result.seed}, ${(durationS / 3600).toFixed(2)} h`,
  );
  const truth = new Map(
    result.truth.map((t) => [
      t.name,
      {
        driftPpm: t.driftPpm,
        inside95: t.coverage?.inside95 ?? null,
        insideHard: t.coverage?.insideHard ?? null,
      },
    ]),
  );
  ctx.out.line(reportTable(result.report, truth));
  printCoverage(result, ctx);
  ctx.out.line(`records in ${result.db}${html ? `; charts in ${html}` : ""}`);
}

export const registerLab: RegisterCommand = (program, ctx) => {
  program
    .command("lab")
    .description(
      "the main job: virtual boards through a temperature swing and a GPS outage, collected into SQLite through the real pipeline, reported with the truth beside every estimate",
    )
    .addOption(
      new Option("--boards <ids...>", `board profile ids, one virtual node each`).default(DEFAULT_LAB_BOARDS),
    )
    .option(
      "--duration <h>",
      "hours of virtual time (default: the scenario's; 6 h for lab)",
      parsePositiveNumber,
    )
    .addOption(
      new Option(
        "--scenario <name>",
        `environment: ${scenarioNames()
          .filter((n) => !storyNames().includes(n))
          .join(", ")}; or a story told with its expected and observed outcome: ${storyNames().join(", ")}`,
      ).default("lab"),
    )
    .addOption(
      new Option("--seed <n>", "seed of every random model").default(1).argParser(parseNonNegativeInt),
    )
    .addOption(
      new Option("--db <file>", "SQLite database to collect into (written fresh)").default(DEFAULT_LAB_DB),
    )
    .addOption(new Option("--html <file>", "HTML report with charts").default(DEFAULT_LAB_HTML))
    .option("--no-html", "do not write the HTML report")
    .option("--json", "print estimates and the lab's truth side by side as JSON")
    .action(async (options: LabOptions) => lab(options, ctx));
};
