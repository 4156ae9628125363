// Estimates how many JsVars a bundle needs on the board, for the two ways Espruino keeps code
// (../shared/reference/espruino.md §3 "Cost rules" and "Code size"):
//  - uploaded to RAM, the source text of every function lives in JsVars, roughly 10–12 characters per
//    block: the whole text counts;
//  - written to Storage (.bootcde), function bodies stay memory-mapped in flash: only what executing the
//    top level creates counts — names, function objects, and literal objects, arrays and strings.
// Both are estimates of the code's own footprint; what the firmware allocates while it runs is
// measured in the virtual lab (process.memory()).
import { parse, type Node } from "acorn";
import { simple } from "acorn-walk";

export interface JsVarEstimate {
  /** Blocks needed when the code is uploaded to RAM. */
  ramVars: number;
  /** Blocks needed when the code runs from Storage (.bootcde). */
  storageVars: number;
  /** Characters of source one block holds, used for both figures. */
  charsPerBlock: number;
}

/**
 * Characters per block: a JsVar string block keeps its payload after the flags and the next-block
 * reference, so about bytesPerVar − 3 characters, i.e. 10 on 13-byte builds. (inference, matching the
 * "roughly 10–12 characters per block" of espruino.md §3)
 */
export function charsPerBlock(bytesPerVar: number): number {
  return Math.max(4, bytesPerVar - 3);
}

function stringBlocks(length: number, perBlock: number): number {
  return 1 + Math.ceil(Math.max(0, length - 4) / perBlock);
}

interface Counts {
  names: number;
  functions: number;
  elements: number;
  stringChars: number;
  strings: number;
}

function countRuntimeStructure(code: string): Counts {
  const counts: Counts = { names: 0, functions: 0, elements: 0, stringChars: 0, strings: 0 };
  let program: Node;
  try {
    program = parse(code, { ecmaVersion: "latest", sourceType: "script" });
  } catch {
    return counts;
  }
  simple(program, {
    VariableDeclarator() {
      counts.names++;
    },
    FunctionDeclaration() {
      counts.names++;
      counts.functions++;
    },
    FunctionExpression() {
      counts.functions++;
    },
    ArrowFunctionExpression() {
      counts.functions++;
    },
    Property() {
      counts.elements++;
    },
    ArrayExpression(node) {
      counts.elements += (node as unknown as { elements: unknown[] }).elements.length;
    },
    Literal(node) {
      const value = (node as unknown as { value: unknown }).value;
      if (typeof value === "string") {
        counts.strings++;
        counts.stringChars += value.length;
      }
    },
  });
  return counts;
}

/** Estimates JsVar use of `code` on a board with `bytesPerVar`-byte variables. */
export function estimateJsVars(code: string, bytesPerVar: number): JsVarEstimate {
  const perBlock = charsPerBlock(bytesPerVar);
  const counts = countRuntimeStructure(code);
  // Each name is a key block plus a value block; each function object holds a code reference and a
  // scope; each object/array element is a key plus a value.
  const structure = counts.names * 2 + counts.functions * 3 + counts.elements * 2;
  const literalStrings = counts.strings + Math.ceil(counts.stringChars / perBlock);
  return {
    ramVars: stringBlocks(code.length, perBlock) + structure,
    storageVars: structure + literalStrings,
    charsPerBlock: perBlock,
  };
}
