// Draws a wiring as SVG: the module and the board as two boxes with their pins labelled, one coloured
// wire per signal (arrow towards the receiving end), a title and a legend.
import type { CheckedWiring } from "./load.ts";
import { el, renderSvg, type SvgElement } from "./svg.ts";
import { SIGNAL_DESCRIPTIONS, pinRows, type PinRow, type Signal } from "./table.ts";
import { moduleLogicVolts } from "./check.ts";

export const SIGNAL_COLOURS: Record<Signal, string> = {
  PPS: "#9333ea",
  "GPS TX": "#16a34a",
  "GPS RX": "#2563eb",
  VCC: "#dc2626",
  GND: "#111827",
};

const WIDTH = 860;
const MARGIN = 30;
const BOX_WIDTH = 270;
const BOX_TOP = 92;
const HEADER_HEIGHT = 64;
const ROW_GAP = 54;
const MODULE_X = MARGIN;
const BOARD_X = WIDTH - MARGIN - BOX_WIDTH;
const FONT = "DejaVu Sans, Arial, Helvetica, sans-serif";

export function wiringDiagram(checked: CheckedWiring): string {
  const rows = pinRows(checked);
  const boxHeight = HEADER_HEIGHT + rows.length * ROW_GAP;
  const legendTop = BOX_TOP + boxHeight + 36;
  const height = legendTop + 28 + rows.length * 22 + MARGIN;
  const { wiring, board, module, file } = checked;
  const range = module.supplyVolts.value;
  const logic = moduleLogicVolts(module, wiring);
  const tolerant = board.pins.fiveVoltTolerant.length;
  const toleranceText =
    tolerant === 0
      ? "no 5 V-tolerant pins"
      : tolerant === board.pins.watchable.length
        ? "5 V tolerant"
        : "some pins 5 V tolerant";
  return renderSvg(
    el(
      "svg",
      {
        xmlns: "http://www.w3.org/2000/svg",
        width: WIDTH,
        height,
        viewBox: `0 0 ${WIDTH} ${height}`,
        "font-family": FONT,
      },
      el("title", {}, `${module.name} wired to ${board.name}`),
      el("rect", { x: 0, y: 0, width: WIDTH, height, fill: "#ffffff" }),
      el(
        "text",
        { x: MARGIN, y: 40, "font-size": 20, "font-weight": "bold", fill: "#111827" },
        `${module.name} → ${board.name}`,
      ),
      el(
        "text",
        { x: MARGIN, y: 64, "font-size": 12, fill: "#4b5563" },
        `${file} · ${wiring.connections.uart} at ${wiring.baud ?? module.defaultBaud.value} baud · PPS on the ${module.pps.polarity.value} edge`,
      ),
      box(MODULE_X, boxHeight, module.name, `VCC ${range.min}–${range.max} V · logic ${round(logic)} V`),
      box(BOARD_X, boxHeight, board.name, `${board.id} · I/O ${board.pins.ioVoltage} V · ${toleranceText}`),
      ...rows.map((row, index) => wire(row, BOX_TOP + HEADER_HEIGHT + ROW_GAP / 2 + index * ROW_GAP)),
      legend(rows, legendTop),
    ),
  );
}

function box(x: number, height: number, title: string, subtitle: string): SvgElement {
  return el(
    "g",
    {},
    el("rect", {
      x,
      y: BOX_TOP,
      width: BOX_WIDTH,
      height,
      rx: 10,
      fill: "#f9fafb",
      stroke: "#374151",
      "stroke-width": 2,
    }),
    el(
      "text",
      { x: x + 14, y: BOX_TOP + 26, "font-size": titleSize(title), "font-weight": "bold", fill: "#111827" },
      title,
    ),
    el("text", { x: x + 14, y: BOX_TOP + 46, "font-size": 11, fill: "#4b5563" }, subtitle),
    el("line", {
      x1: x,
      y1: BOX_TOP + HEADER_HEIGHT - 6,
      x2: x + BOX_WIDTH,
      y2: BOX_TOP + HEADER_HEIGHT - 6,
      stroke: "#d1d5db",
    }),
  );
}

/** 15 px, smaller when a long name would overflow the box (bold sans-serif is about 0.6 em a character). */
function titleSize(title: string): number {
  return Math.min(15, Math.floor((BOX_WIDTH - 28) / (0.6 * title.length)));
}

function wire(row: PinRow, y: number): SvgElement {
  const colour = SIGNAL_COLOURS[row.signal];
  const left = MODULE_X + BOX_WIDTH;
  const right = BOARD_X;
  const middle = (left + right) / 2;
  const parts: SvgElement[] = [
    el("line", { x1: left, y1: y, x2: right, y2: y, stroke: colour, "stroke-width": 3 }),
    el("circle", { cx: left, cy: y, r: 5, fill: colour }),
    el("circle", { cx: right, cy: y, r: 5, fill: colour }),
    el(
      "text",
      { x: left - 14, y: y + 4, "font-size": 13, "text-anchor": "end", fill: "#111827" },
      row.modulePin,
    ),
    el("text", { x: right + 14, y: y + 4, "font-size": 13, fill: "#111827" }, row.boardPin),
    el(
      "text",
      { x: middle, y: y - 9, "font-size": 12, "text-anchor": "middle", "font-weight": "bold", fill: colour },
      row.signal,
    ),
    el(
      "text",
      { x: middle, y: y + 18, "font-size": 10, "text-anchor": "middle", fill: "#4b5563" },
      row.level,
    ),
  ];
  if (row.direction === "module → board") parts.push(arrowHead(right - 7, y, 1, colour));
  if (row.direction === "board → module") parts.push(arrowHead(left + 7, y, -1, colour));
  return el("g", {}, ...parts);
}

/** A filled triangle whose tip is at (x, y), pointing right (1) or left (−1). */
function arrowHead(x: number, y: number, direction: 1 | -1, colour: string): SvgElement {
  const back = x - direction * 12;
  return el("polygon", { points: `${x},${y} ${back},${y - 6} ${back},${y + 6}`, fill: colour });
}

function legend(rows: readonly PinRow[], top: number): SvgElement {
  const items = rows.map((row, index) => {
    const y = top + 28 + index * 22;
    return el(
      "g",
      {},
      el("line", {
        x1: MARGIN,
        y1: y - 4,
        x2: MARGIN + 32,
        y2: y - 4,
        stroke: SIGNAL_COLOURS[row.signal],
        "stroke-width": 3,
      }),
      el(
        "text",
        { x: MARGIN + 44, y, "font-size": 12, fill: "#111827" },
        `${row.signal}: ${SIGNAL_DESCRIPTIONS[row.signal]}`,
      ),
    );
  });
  return el(
    "g",
    {},
    el("text", { x: MARGIN, y: top, "font-size": 13, "font-weight": "bold", fill: "#111827" }, "Legend"),
    ...items,
  );
}

function round(volts: number): number {
  return Math.round(volts * 100) / 100;
}
