import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { gpioAccessProblem, gpioHost } from "../../gpio/gpio-line.ts";
import { runCli } from "../capture.ts";

describe("timenode gpio-pps", () => {
  it("checks its options", async () => {
    const result = await runCli("gpio-pps", "--pin", "x");
    expect(result.code).toBe(2);
    const edge = await runCli("gpio-pps", "--pin", "17", "--edge", "both");
    expect(edge.code).toBe(2);
    expect(edge.stderr.join("\n")).toMatch(/expected rising or falling/);
  });

  it.skipIf(gpioHost().accessible)(
    "says in one line why GPIO cannot be used here, and how to fix it",
    async () => {
      const result = await runCli("gpio-pps", "--pin", "17", "--db", "/nonexistent/never-created.db");
      expect(result.code).toBe(1);
      expect(result.stderr).toEqual([`timenode: ${gpioAccessProblem(gpioHost())}`]);
      expect(existsSync("/nonexistent/never-created.db")).toBe(false);
    },
  );
});
