// The report as a person sees it: Debian's Chromium opens the file and draws every chart.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { renderHtml } from "./html.ts";
import { expectedChartIds, expectedNoteIds, syntheticModel } from "./test-fixtures.ts";

const CHROMIUM = "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// The project compiles without the DOM library: just what is used of an element.
interface Measurable {
  getBoundingClientRect(): { width: number; height: number };
}

describe("report HTML in headless Chromium", () => {
  it("draws every chart with no errors and no requests", async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} not found: install the Debian package "chromium" ` +
          `(apt-get install -y --no-install-recommends chromium; .ci/run does this)`,
      );
    }
    const dir = mkdtempSync(join(tmpdir(), "timenode-report-"));
    const file = join(dir, "report.html");
    writeFileSync(file, await renderHtml(syntheticModel));
    const url = pathToFileURL(file).href;

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`console: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`page: ${e.message}`));
      page.on("request", (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      await page.goto(url, { waitUntil: "load" });

      for (const id of expectedChartIds) {
        const svg = page.locator(`figure[data-chart="${id}"] svg`);
        expect(await svg.count(), `SVGs in chart ${id}`).toBe(1);
        const box = await svg.evaluate((el: Measurable) => {
          const r = el.getBoundingClientRect();
          return { width: r.width, height: r.height };
        });
        expect(box.width, `width of ${id}`).toBeGreaterThan(100);
        expect(box.height, `height of ${id}`).toBeGreaterThan(50);
      }

      expect(await page.locator("svg").count()).toBe(expectedChartIds.length);
      for (const id of expectedNoteIds) {
        expect(await page.locator(`figure#${id} .no-data`).count(), id).toBe(1);
        expect(await page.locator(`figure#${id} svg`).count(), id).toBe(0);
      }
      expect(await page.locator("table.summary tbody tr").count()).toBe(syntheticModel.nodes.length);
      // The node's name is shown as text, not parsed as markup.
      expect(await page.locator("#node-1 h2").textContent()).toBe(syntheticModel.nodes[0]?.name);
      expect(await page.locator("#node-1 h2 b").count()).toBe(0);
      // Event rules carry hover titles.
      const titles = await page.locator("#node-1-phase g.events_marks line > title").allTextContents();
      expect(titles[0]).toBe('GPS_LOST: antenna <unplugged> & "gone" (board)');

      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
