import { parse, type Identifier } from "acorn";
import { describe, expect, it } from "vitest";
import { analyzeScopes, runsLaterThan, type Reference, type ScopeAnalysis } from "./scope.ts";

function analyzed(code: string): ScopeAnalysis {
  return analyzeScopes(parse(code, { ecmaVersion: "latest", sourceType: "script" }));
}

/** The references to `name`, in source order, as "kind of binding" or "global". */
function resolutions(analysis: ScopeAnalysis, name: string): string[] {
  return analysis.references
    .filter((reference) => reference.identifier.name === name)
    .sort((a, b) => a.identifier.start - b.identifier.start)
    .map((reference) =>
      reference.binding ? `${reference.binding.kind}@${reference.binding.scope.kind}` : "global",
    );
}

function referenceAt(analysis: ScopeAnalysis, name: string, occurrence: number): Reference {
  const matching = analysis.references
    .filter((reference) => reference.identifier.name === name)
    .sort((a, b) => a.identifier.start - b.identifier.start);
  return matching[occurrence - 1]!;
}

describe("scope analysis", () => {
  it("resolves var to the function scope and let/const to the block", () => {
    const analysis = analyzed("function f() { { var v = 1; let l = 2; } return v + l; }");
    expect(resolutions(analysis, "v")).toEqual(["var@function"]);
    expect(resolutions(analysis, "l")).toEqual(["global"]);
  });

  it("lets parameters, catch parameters and inner declarations shadow globals", () => {
    const analysis = analyzed("function f(Map) { try { Map(); } catch (Set) { Set(); } return [Map, Set]; }");
    expect(resolutions(analysis, "Map")).toEqual(["parameter@function", "parameter@function"]);
    expect(resolutions(analysis, "Set")).toEqual(["catch@block", "global"]);
  });

  it("binds a function or class expression's own name only inside it", () => {
    const analysis = analyzed(
      "var g = function inner() { return inner; }; inner; var C = class K { m() { return K; } }; K;",
    );
    expect(resolutions(analysis, "inner")).toEqual(["name@name", "global"]);
    expect(resolutions(analysis, "K")).toEqual(["name@name", "global"]);
  });

  it("does not treat property names, keys and labels as references", () => {
    const analysis = analyzed(
      "a.b; ({ c: 1, [d]: 2 }); e: for (;;) break e; class X { f() {} static g = 1; }",
    );
    const names = analysis.references.map((reference) => reference.identifier.name).sort();
    expect(names).toEqual(["a", "d"]);
  });

  it("treats identifiers in destructuring assignments as references and in declarations as bindings", () => {
    const analysis = analyzed("var x; ({ x, y = x } = o); function f({ p = q }) { return p; }");
    expect(resolutions(analysis, "x")).toEqual(["var@global", "var@global"]);
    expect(resolutions(analysis, "y")).toEqual(["global"]);
    expect(resolutions(analysis, "q")).toEqual(["global"]);
    expect(resolutions(analysis, "p")).toEqual(["parameter@function"]);
  });

  it("knows which code runs later: function bodies, but not immediately invoked ones", () => {
    const analysis = analyzed(
      "var a = 1; (function () { a; })(); (() => a).call(null); function f() { a; } (() => a);",
    );
    const global = analysis.global;
    const deferred = [1, 2, 3, 4].map((n) => runsLaterThan(referenceAt(analysis, "a", n).scope, global));
    expect(deferred).toEqual([false, false, true, true]);
  });

  it("records the loop that re-enters a scope, reset inside functions", () => {
    const analysis = analyzed(
      "for (let i = 0; i < 1; i++) { let inBody = 1; (function () { let inFn = 2; }); } let top = 0;",
    );
    const loopOf = (name: string): string | undefined =>
      analysis.bindings.find((binding) => binding.name === name)?.scope.loop?.type;
    expect(loopOf("i")).toBe("ForStatement");
    expect(loopOf("inBody")).toBe("ForStatement");
    expect(loopOf("inFn")).toBeUndefined();
    expect(loopOf("top")).toBeUndefined();
  });

  it("maps each declaring identifier to its binding", () => {
    const analysis = analyzed("let a = 1;");
    const [identifier] = [...analysis.bindingOf.keys()] as Identifier[];
    expect(analysis.bindingOf.get(identifier!)?.kind).toBe("let");
  });
});
