import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { nodeCharts, servoSpans, timeAxis, unitFor } from "./charts.ts";
import { boundStats, escapeHtml, formatElapsed, renderHtml } from "./html.ts";
import type { ClockPoint, ReportModel } from "./model.ts";
import {
  expectedChartIds,
  expectedNoteIds,
  fullNode,
  observerNode,
  syntheticModel,
} from "./test-fixtures.ts";

/** The text of the <figure> with this id, or "" when there is none. */
function figureById(html: string, id: string): string {
  const match = new RegExp(`<figure class="chart[^"]*" id="${id}"[^>]*>[\\s\\S]*?</figure>`).exec(html);
  return match ? match[0] : "";
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe("renderHtml on the synthetic model", () => {
  let html = "";
  const warnings: unknown[][] = [];

  beforeAll(async () => {
    // Vega-Lite and Vega report spec problems (a field that is not there, a bad scale) as warnings.
    const warn = vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => warnings.push(args));
    try {
      html = await renderHtml(syntheticModel);
    } finally {
      warn.mockRestore();
    }
  });

  it("is one HTML document with no Vega warnings", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(count(html, "<html")).toBe(1);
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
    expect(warnings).toEqual([]);
  });

  it("has exactly one SVG per expected chart", () => {
    expect(count(html, "<svg")).toBe(expectedChartIds.length);
    expect(count(html, "</svg>")).toBe(expectedChartIds.length);
    for (const id of expectedChartIds) {
      const figure = figureById(html, id);
      expect(figure, id).not.toBe("");
      expect(count(figure, "<svg"), id).toBe(1);
    }
  });

  it("gives a short note, not a chart, for each empty series", () => {
    for (const id of expectedNoteIds) {
      const figure = figureById(html, id);
      expect(figure.includes('class="no-data"'), id).toBe(true);
      expect(figure.includes("<svg"), id).toBe(false);
    }
  });

  it("escapes text from the model", () => {
    expect(html).not.toContain('<b>&"x');
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;b&gt;&amp;&quot;x");
    expect(html).not.toContain("<test>");
    expect(html).not.toContain("<rev 1.4>");
    expect(html).not.toContain("<unplugged>");
    expect(html).toContain("<title>Lab report &lt;test&gt; &amp; friends</title>");
  });

  it("loads nothing from outside: no scripts, links or URLs but the SVG namespaces", () => {
    const urls = html.match(/https?:\/\/[^\s"'<>)]*/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"]));
    for (const url of urls) expect(url.startsWith("http://www.w3.org/")).toBe(true);
    expect(count(html, "http://www.w3.org/2000/svg")).toBe(count(html, 'xmlns="http://www.w3.org/2000/svg"'));
    for (const bad of ["<script", "<link", "<img", "<iframe", " src=", "url(", "@import", "@font-face"]) {
      expect(html, bad).not.toContain(bad);
    }
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it("is deterministic for the same model", async () => {
    expect(await renderHtml(syntheticModel)).toBe(html);
  });

  it("has a summary row per node and the node's numbers", () => {
    const summary = /<table class="summary">[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
    expect(count(summary, "<tr>")).toBe(1 + syntheticModel.nodes.length);
    expect(summary).toContain("12.345 ± 0.012");
    expect(summary).toContain("-41.20 ± 0.80");
    expect(summary).toContain("25.30 ± 0.40 °C");
    expect(summary).toContain("± 72.8 µs / ± 2.00 µs");
    expect(html).toContain("[12.321, 12.369] ppm");
    expect(html).toContain("c2 = -0.0340 ± 0.0010 ppm/°C²");
  });

  it("puts events in a table and as rules with hover titles on the time charts", () => {
    expect(html).toContain(
      "<td><code>GPS_LOST</code></td><td>antenna &lt;unplugged&gt; &amp; &quot;gone&quot;</td>",
    );
    for (const chart of ["phase", "frequency", "clock", "temperature"]) {
      const figure = figureById(html, `node-1-${chart}`);
      expect(count(figure, "<title>"), chart).toBe(fullNode.events.length);
      const title = "<title>GPS_LOST: antenna &lt;unplugged&gt; &amp; &quot;gone&quot; (board)</title>";
      expect(figure.includes(title), chart).toBe(true);
    }
    expect(figureById(html, "node-2-phase").includes("<title>"), "<title>").toBe(false);
  });

  it("shows the six-hour node in hours and the short one in seconds", () => {
    expect(figureById(html, "node-1-phase").includes("time since start (h)"), "time since start (h)").toBe(
      true,
    );
    expect(figureById(html, "node-2-phase").includes("time since start (s)"), "time since start (s)").toBe(
      true,
    );
  });

  it("tabulates the measured error interval per time since the last pulse, or says why not", () => {
    expect(html).toContain("Error interval of a clock reading");
    expect(html).toMatch(
      /<td class="num">1 s<\/td><td class="num">±410 ns<\/td><td class="num">95\.1 %<\/td>/,
    );
    expect(html).toContain("Not enough labelled PPS edges to measure how the clock keeps time between them.");
  });

  it("shows holdover with a servo-state legend on the clock chart", () => {
    const clock = figureById(html, "node-1-clock");
    expect(clock.includes("servo state"), "servo state").toBe(true);
    expect(clock.includes("HOLDOVER"), "HOLDOVER").toBe(true);
    expect(clock.includes("error vs truth"), "error vs truth").toBe(true);
  });
});

describe("renderHtml edge cases", () => {
  afterEach(() => vi.restoreAllMocks());

  it("renders a model with no nodes", async () => {
    const html = await renderHtml({ title: "empty", generatedAt: "now", source: "none", nodes: [] });
    expect(html).toContain("No nodes.");
    expect(html).not.toContain("<svg");
  });

  it("draws the bounds without an error line on real hardware", async () => {
    const clock = fullNode.clock.map((p) => ({ ...p, errorNs: null }));
    const model: ReportModel = { ...syntheticModel, nodes: [{ ...observerNode, clock }] };
    const html = await renderHtml(model);
    const figure = figureById(html, "node-1-clock");
    expect(count(figure, "<svg")).toBe(1);
    expect(figure.includes("error vs truth"), "error vs truth").toBe(false);
    expect(figure.includes("no truth on real hardware"), "no truth on real hardware").toBe(true);
  });
});

describe("chart helpers", () => {
  const point = (t: number, servoState: number): ClockPoint => ({
    t,
    errorNs: null,
    earliest95Ns: -1,
    latest95Ns: 1,
    earliestHardNs: -2,
    latestHardNs: 2,
    servoState,
  });

  it("splits clock readings into runs of servo state", () => {
    const spans = servoSpans([point(0, 1), point(10, 2), point(20, 2), point(30, 3), point(40, 2)]);
    expect(spans).toEqual([
      { t0: 0, t1: 10, state: "ACQUIRING" },
      { t0: 10, t1: 30, state: "LOCKED" },
      { t0: 30, t1: 40, state: "HOLDOVER" },
      { t0: 40, t1: 40, state: "LOCKED" },
    ]);
  });

  it("picks a unit in which the largest value is at least one", () => {
    expect(unitFor(0).name).toBe("ns");
    expect(unitFor(999).name).toBe("ns");
    expect(unitFor(1500).name).toBe("µs");
    expect(unitFor(2.5e6).name).toBe("ms");
    expect(unitFor(3e9).name).toBe("s");
  });

  it("switches the time axis to hours past two hours", () => {
    expect(timeAxis(fullNode).divisor).toBe(3600);
    expect(timeAxis(fullNode).domain).toEqual([0, 6]);
    expect(timeAxis(observerNode).divisor).toBe(1);
    expect(timeAxis({ ...observerNode, phase: [], frequency: [] }).domain).toEqual([0, 1]);
  });

  it("gives every chart of a node a distinct id with the prefix", () => {
    const ids = nodeCharts(fullNode, "node-7").map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id.startsWith("node-7-")).toBe(true);
  });

  it("formats elapsed times, bounds and escapes", () => {
    expect(formatElapsed(0)).toBe("0:00:00");
    expect(formatElapsed(3723.25)).toBe("1:02:03.2");
    expect(boundStats([])).toBeNull();
    expect(boundStats([point(0, 2), { ...point(1, 2), latest95Ns: 5 }])).toEqual({ worstNs: 3, medianNs: 2 });
    expect(escapeHtml(`<a href='x'>&"</a>`)).toBe("&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
  });
});
