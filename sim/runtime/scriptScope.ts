// Speed, not semantics: in a Node vm context every access to a global variable goes through the
// context's interceptors (~0.35 µs each), which would dominate a firmware bundle whose state and
// functions are top-level vars. So a script runs inside a function whose locals are its top-level
// var/function bindings (plain scope lookups), and each binding is also put on the global object as
// an accessor, so other scripts, onInit lookups and the memory estimate still see it as a global.
// API and built-in globals the script uses are read once into locals too. A script whose top-level
// names already exist as globals runs unwrapped, so re-declarations keep their shared-global meaning.

import { parse } from "acorn";

export interface ScriptScope {
  /** The script's top-level var and function names. */
  names: string[];
  /** Identifier-like words in the script (to choose which globals to read into locals). */
  words: ReadonlySet<string>;
  /** Words that appear before an assignment operator (never read into locals: writes must reach the global). */
  assigned: ReadonlySet<string>;
  /** Offset of the first statement after the directive prologue. */
  bodyStart: number;
}

/** The wrapped script evaluates to a function of (bind, global); bind receives names and get/set pairs. */
export type ScopeBinder = (names: string[], accessors: (() => unknown)[]) => void;

export const BIND_PARAM = "$tnBind$";
export const GLOBAL_PARAM = "$tnGlobal$";
/** Never read into locals: direct eval must stay direct; the rest are immutable anyway. */
const NOT_ALIASED = new Set(["eval", "undefined", "NaN", "Infinity", "arguments"]);

/** `name =`, `name +=`, … but not `==`, `=>` (over-matches member assignments, which is harmless). */
const ASSIGNMENT = /([A-Za-z_$][\w$]*)\s*(?:[-+*/%&|^]|<<|>>>?|\*\*|&&|\|\||\?\?)?=(?![=>])/g;

const analysed = new Map<string, ScriptScope | null>();
const ANALYSED_ENTRIES = 32;

/** Top-level bindings of a script, or null when it does not parse (V8 will report the error). */
export function analyseScript(code: string): ScriptScope | null {
  const hit = analysed.get(code);
  if (hit !== undefined) return hit;
  const result = analyse(code);
  if (analysed.size >= ANALYSED_ENTRIES) {
    const oldest = analysed.keys().next().value;
    if (oldest !== undefined) analysed.delete(oldest);
  }
  analysed.set(code, result);
  return result;
}

function analyse(code: string): ScriptScope | null {
  let body;
  try {
    body = parse(code, { ecmaVersion: "latest", sourceType: "script" }).body;
  } catch {
    return null;
  }
  const names = new Set<string>();
  let bodyStart = code.length;
  let inPrologue = true;
  for (const node of body) {
    if (inPrologue && node.type === "ExpressionStatement" && typeof node.directive === "string") continue;
    if (inPrologue) {
      inPrologue = false;
      bodyStart = node.start;
    }
    if (node.type === "FunctionDeclaration" && node.id !== null) names.add(node.id.name);
    if (node.type === "VariableDeclaration" && node.kind === "var") {
      for (const d of node.declarations) collectPatternNames(d.id, names);
    }
  }
  const assigned = new Set<string>();
  for (const m of code.matchAll(ASSIGNMENT)) if (m[1] !== undefined) assigned.add(m[1]);
  return { names: [...names], words: new Set(code.match(/[A-Za-z_$][\w$]*/g) ?? []), assigned, bodyStart };
}

/** The script as a function with its top-level names as locals, reading `aliases` from the global once. */
export function wrapScript(code: string, scope: ScriptScope, aliases: readonly string[]): string {
  const aliasDecl =
    aliases.length > 0 ? `var ${aliases.map((a) => `${a}=${GLOBAL_PARAM}.${a}`).join(",")};` : "";
  const accessors = scope.names.map((n) => `function(){return ${n}},function(v){${n}=v}`).join(",");
  const prologue = `${aliasDecl}${BIND_PARAM}(${JSON.stringify(scope.names)},[${accessors}]);`;
  // Kept on the script's first line so error line numbers do not move.
  return `(function(${BIND_PARAM},${GLOBAL_PARAM}){${code.slice(0, scope.bodyStart)}${prologue}${code.slice(scope.bodyStart)}\n})`;
}

/** Globals worth reading into locals: names of the interpreter's globals that the script mentions. */
export function aliasesFor(scope: ScriptScope, interpreterGlobals: ReadonlySet<string>): string[] {
  const own = new Set(scope.names);
  const out: string[] = [];
  for (const word of scope.words) {
    if (
      interpreterGlobals.has(word) &&
      !own.has(word) &&
      !NOT_ALIASED.has(word) &&
      !scope.assigned.has(word)
    ) {
      out.push(word);
    }
  }
  return out.sort();
}

interface PatternNode {
  type: string;
  name?: string;
  properties?: { type: string; value?: PatternNode; argument?: PatternNode }[];
  elements?: (PatternNode | null)[];
  left?: PatternNode;
  argument?: PatternNode;
}

function collectPatternNames(node: PatternNode, out: Set<string>): void {
  switch (node.type) {
    case "Identifier":
      if (node.name !== undefined) out.add(node.name);
      return;
    case "ObjectPattern":
      for (const p of node.properties ?? []) {
        if (p.type === "RestElement" && p.argument) collectPatternNames(p.argument, out);
        else if (p.value) collectPatternNames(p.value, out);
      }
      return;
    case "ArrayPattern":
      for (const e of node.elements ?? []) if (e) collectPatternNames(e, out);
      return;
    case "AssignmentPattern":
      if (node.left) collectPatternNames(node.left, out);
      return;
    case "RestElement":
      if (node.argument) collectPatternNames(node.argument, out);
      return;
  }
}
