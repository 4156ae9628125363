import type { AnyNode, Program } from "acorn";
import { indexNodes } from "./ast.ts";
import { analyzeScopes } from "./scope.ts";
import type { Analysis, NodeEntry, NodeOfType } from "./types.ts";

/** Indexes the nodes and resolves the scopes of a parsed program, once for all rules. */
export function analyze(code: string, program: Program): Analysis {
  const { nodes, byType } = indexNodes(program);
  return {
    code,
    program,
    nodes,
    nodesOfType: <Type extends AnyNode["type"]>(type: Type) =>
      (byType.get(type) ?? []) as unknown as ReadonlyArray<NodeEntry<NodeOfType<Type>>>,
    scopes: analyzeScopes(program),
  };
}
