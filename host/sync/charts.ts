// The HTML report's view of a PTP session: offset (each exchange and the servo's estimate) inside the
// band of ± the bound around the estimate, and the mean path delay, over time.
import type { TopLevelSpec } from "vega-lite";
import { unitFor, type Chart } from "../report/charts.ts";
import type { SyncSessionModel } from "./store.ts";

const WIDTH = 760;
const HEIGHT = 220;
const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

export function syncCharts(session: SyncSessionModel, prefix: string): Chart[] {
  if (session.points.length < 2)
    return [{ id: `${prefix}-offset`, title: "Offset", spec: null, note: "fewer than two exchanges" }];
  const unit = unitFor(
    Math.max(...session.points.map((p) => Math.max(Math.abs(p.offsetNs), p.boundNs, p.delayNs))),
  );
  const rows = session.points.map((p) => {
    const centre = p.estimateNs ?? p.offsetNs;
    return {
      t: p.t,
      offset: p.offsetNs / unit.ns,
      estimate: p.estimateNs === null ? null : p.estimateNs / unit.ns,
      low: (centre - p.boundNs) / unit.ns,
      high: (centre + p.boundNs) / unit.ns,
      delay: p.delayNs / unit.ns,
    };
  });
  const x = { field: "t", type: "quantitative", title: "time since the first exchange (s)" } as const;
  const offsetSpec: TopLevelSpec = {
    $schema: SCHEMA,
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    layer: [
      {
        mark: { type: "area", color: "#c6dbef" },
        encoding: {
          x,
          y: { field: "low", type: "quantitative", title: `offset (${unit.name})` },
          y2: { field: "high" },
        },
      },
      {
        mark: { type: "point", size: 12, color: "#555" },
        encoding: { x, y: { field: "offset", type: "quantitative" } },
      },
      {
        mark: { type: "line", color: "#1f6fb4" },
        encoding: { x, y: { field: "estimate", type: "quantitative" } },
      },
    ],
  };
  const delaySpec: TopLevelSpec = {
    $schema: SCHEMA,
    width: WIDTH,
    height: HEIGHT / 2,
    data: { values: rows },
    mark: { type: "line", color: "#e4701e" },
    encoding: { x, y: { field: "delay", type: "quantitative", title: `mean path delay (${unit.name})` } },
  };
  return [
    {
      id: `${prefix}-offset`,
      title: "Offset of this clock against the master",
      spec: offsetSpec,
      caption: "Points: each exchange; line: the servo's estimate; band: ± the bound around it.",
    },
    { id: `${prefix}-delay`, title: "Mean path delay", spec: delaySpec, caption: "Per exchange." },
  ];
}
