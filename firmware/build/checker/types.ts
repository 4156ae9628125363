import type { AnyNode, Program } from "acorn";
import type { ScopeAnalysis } from "./scope.ts";

/** A place in a file: line and column are both 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export interface Violation {
  rule: string;
  construct: string;
  alternative: string;
  /** Where the construct is in the checked JavaScript. */
  at: SourcePosition;
  /** The same place in the original source, through the source map; null without a mapping. */
  original: SourcePosition | null;
}

export interface CheckResult {
  violations: Violation[];
  parseError: { message: string; at: SourcePosition } | null;
}

/** What a rule reports: a violation before positions are resolved. */
export interface Finding {
  rule: string;
  construct: string;
  alternative: string;
  /** Offset of the construct in the checked code (UTF-16 code units). */
  offset: number;
}

export interface NodeEntry<Node extends AnyNode = AnyNode> {
  node: Node;
  parent: AnyNode | null;
}

export type NodeOfType<Type extends AnyNode["type"]> = Extract<AnyNode, { type: Type }>;

/** Everything the rules share: the parsed program, every node with its parent, and the scopes. */
export interface Analysis {
  code: string;
  program: Program;
  /** Every node of the program, parents before children. */
  nodes: readonly NodeEntry[];
  /** The nodes of one type, in source order; rules that need few types read only these. */
  nodesOfType<Type extends AnyNode["type"]>(type: Type): ReadonlyArray<NodeEntry<NodeOfType<Type>>>;
  scopes: ScopeAnalysis;
}

export type Rule = (analysis: Analysis) => Finding[];
