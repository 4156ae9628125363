import { describe, expect, it } from "vitest";
import { wiringDiagram, SIGNAL_COLOURS } from "./diagram.ts";
import { listWiringFiles, loadWiring } from "./load.ts";
import { el, escapeXml, renderSvg } from "./svg.ts";
import { pinRows } from "./table.ts";

describe("svg builder", () => {
  it("escapes text and attributes and drops characters XML forbids", () => {
    const svg = renderSvg(el("svg", { "data-x": `a"b<c>&'` }, el("text", {}, "1 < 2 & 3 > 2\u0001")));
    expect(svg).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<svg data-x="a&quot;b&lt;c&gt;&amp;&apos;">\n  <text>1 &lt; 2 &amp; 3 &gt; 2</text>\n</svg>\n',
    );
    expect(escapeXml("plain")).toBe("plain");
  });

  it("writes empty elements self-closed and rounds numbers to 2 decimals", () => {
    expect(renderSvg(el("circle", { r: 1 / 3 }))).toContain('<circle r="0.33"/>');
  });
});

describe("wiringDiagram", () => {
  it("draws every row's pins, signal and colour, a title and a legend, for every shipped wiring", () => {
    for (const file of listWiringFiles()) {
      const checked = loadWiring(file);
      const svg = wiringDiagram(checked);
      expect(svg, file).toContain(`${escapeXml(checked.module.name)} → ${escapeXml(checked.board.name)}`);
      expect(svg).toContain(">Legend<");
      for (const row of pinRows(checked)) {
        expect(svg, `${file} ${row.signal}`).toContain(`>${escapeXml(row.modulePin)}<`);
        expect(svg).toContain(`>${escapeXml(row.boardPin)}<`);
        expect(svg).toContain(`stroke="${SIGNAL_COLOURS[row.signal]}"`);
      }
    }
  });

  it("points the arrows from the sender to the receiver", () => {
    const checked = loadWiring("wiring/pico/neo-6m.json");
    const rows = pinRows(checked);
    expect(rows.map((row) => [row.signal, row.direction])).toEqual([
      ["PPS", "module → board"],
      ["GPS TX", "module → board"],
      ["GPS RX", "board → module"],
      ["VCC", "board → module"],
      ["GND", "common"],
    ]);
    // One arrowhead per directed wire.
    expect(wiringDiagram(checked).match(/<polygon /g)).toHaveLength(4);
  });
});
