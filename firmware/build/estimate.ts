// Estimates how many JsVars a bundle needs on the board, for the two ways Espruino keeps code
// (../shared/reference/espruino.md §3 "Cost rules" and "Code size"):
//  - uploaded to RAM, the source text of every function lives in JsVars, roughly 10–12 characters per
//    block: the whole text counts, plus the structure below;
//  - written to Storage (.bootcde), function bodies stay memory-mapped in flash: only the structure the
//    code keeps counts — top-level names, function objects, object and array literals — plus the
//    locals of the largest function (the peak a call adds while it runs).
// Locals of other functions and string literals are transient (freed when a call returns), so they are
// not counted. This is the code's own footprint; what it allocates at run time (typed arrays, strings
// being built) is measured in the virtual lab through process.memory().
import { parse, type Node } from "acorn";
import { ancestor } from "acorn-walk";

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
  topLevelNames: number;
  functions: number;
  elements: number;
  maxLocals: number;
  topLevelStringChars: number;
}

type FunctionNode = Node & { type: "FunctionDeclaration" | "FunctionExpression" | "ArrowFunctionExpression" };

const isFunction = (node: Node): node is FunctionNode =>
  node.type === "FunctionDeclaration" ||
  node.type === "FunctionExpression" ||
  node.type === "ArrowFunctionExpression";

function enclosingFunction(ancestors: Node[]): Node | null {
  for (let i = ancestors.length - 2; i >= 0; i--) {
    const node = ancestors[i] as Node;
    if (isFunction(node)) return node;
  }
  return null;
}

function countStructure(code: string): Counts {
  const counts: Counts = {
    topLevelNames: 0,
    functions: 0,
    elements: 0,
    maxLocals: 0,
    topLevelStringChars: 0,
  };
  let program: Node;
  try {
    program = parse(code, { ecmaVersion: "latest", sourceType: "script" });
  } catch {
    return counts;
  }
  const localsByFunction = new Map<Node, number>();
  const declare = (ancestors: Node[]) => {
    const owner = enclosingFunction(ancestors);
    if (owner === null) counts.topLevelNames++;
    else localsByFunction.set(owner, (localsByFunction.get(owner) ?? 0) + 1);
  };
  ancestor(program, {
    VariableDeclarator(_node, _state, ancestors) {
      declare(ancestors);
    },
    FunctionDeclaration(_node, _state, ancestors) {
      counts.functions++;
      declare(ancestors);
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
    Literal(node, _state, ancestors) {
      const value = (node as unknown as { value: unknown }).value;
      if (typeof value === "string" && enclosingFunction(ancestors) === null) {
        counts.topLevelStringChars += value.length;
      }
    },
  });
  for (const locals of localsByFunction.values()) counts.maxLocals = Math.max(counts.maxLocals, locals);
  return counts;
}

/** Estimates JsVar use of `code` on a board with `bytesPerVar`-byte variables. */
export function estimateJsVars(code: string, bytesPerVar: number): JsVarEstimate {
  const perBlock = charsPerBlock(bytesPerVar);
  const counts = countStructure(code);
  // Each name is a key block plus a value block; each function object holds a code reference and a
  // scope; each object/array element is a key plus a value.
  const structure =
    counts.topLevelNames * 2 +
    counts.functions * 3 +
    counts.elements * 2 +
    counts.maxLocals * 2 +
    Math.ceil(counts.topLevelStringChars / perBlock);
  return {
    ramVars: stringBlocks(code.length, perBlock) + structure,
    storageVars: structure,
    charsPerBlock: perBlock,
  };
}
