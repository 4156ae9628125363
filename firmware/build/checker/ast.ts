import type { AnyNode, Identifier, Literal } from "acorn";
import type { NodeEntry } from "./types.ts";

function isNode(value: unknown): value is AnyNode {
  return (
    typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string"
  );
}

// The child properties of each ESTree node type acorn produces, in source order. A table instead of
// enumerating properties keeps the walk fast in a cold process (the CLI checks one file and exits).
const CHILD_KEYS: Readonly<Record<string, readonly string[]>> = {
  Program: ["body"],
  ExpressionStatement: ["expression"],
  BlockStatement: ["body"],
  StaticBlock: ["body"],
  EmptyStatement: [],
  DebuggerStatement: [],
  WithStatement: ["object", "body"],
  ReturnStatement: ["argument"],
  LabeledStatement: ["label", "body"],
  BreakStatement: ["label"],
  ContinueStatement: ["label"],
  IfStatement: ["test", "consequent", "alternate"],
  SwitchStatement: ["discriminant", "cases"],
  SwitchCase: ["test", "consequent"],
  ThrowStatement: ["argument"],
  TryStatement: ["block", "handler", "finalizer"],
  CatchClause: ["param", "body"],
  WhileStatement: ["test", "body"],
  DoWhileStatement: ["body", "test"],
  ForStatement: ["init", "test", "update", "body"],
  ForInStatement: ["left", "right", "body"],
  ForOfStatement: ["left", "right", "body"],
  FunctionDeclaration: ["id", "params", "body"],
  FunctionExpression: ["id", "params", "body"],
  ArrowFunctionExpression: ["params", "body"],
  VariableDeclaration: ["declarations"],
  VariableDeclarator: ["id", "init"],
  Identifier: [],
  PrivateIdentifier: [],
  Literal: [],
  ThisExpression: [],
  Super: [],
  TemplateElement: [],
  ArrayExpression: ["elements"],
  ArrayPattern: ["elements"],
  ObjectExpression: ["properties"],
  ObjectPattern: ["properties"],
  Property: ["key", "value"],
  UnaryExpression: ["argument"],
  UpdateExpression: ["argument"],
  BinaryExpression: ["left", "right"],
  LogicalExpression: ["left", "right"],
  AssignmentExpression: ["left", "right"],
  AssignmentPattern: ["left", "right"],
  MemberExpression: ["object", "property"],
  ConditionalExpression: ["test", "consequent", "alternate"],
  CallExpression: ["callee", "arguments"],
  NewExpression: ["callee", "arguments"],
  SequenceExpression: ["expressions"],
  YieldExpression: ["argument"],
  AwaitExpression: ["argument"],
  SpreadElement: ["argument"],
  RestElement: ["argument"],
  TemplateLiteral: ["quasis", "expressions"],
  TaggedTemplateExpression: ["tag", "quasi"],
  ClassDeclaration: ["id", "superClass", "body"],
  ClassExpression: ["id", "superClass", "body"],
  ClassBody: ["body"],
  MethodDefinition: ["key", "value"],
  PropertyDefinition: ["key", "value"],
  MetaProperty: ["meta", "property"],
  ChainExpression: ["expression"],
  ParenthesizedExpression: ["expression"],
  ImportExpression: ["source", "options"],
  ImportDeclaration: ["specifiers", "source", "attributes"],
  ImportSpecifier: ["imported", "local"],
  ImportDefaultSpecifier: ["local"],
  ImportNamespaceSpecifier: ["local"],
  ImportAttribute: ["key", "value"],
  ExportNamedDeclaration: ["declaration", "specifiers", "source", "attributes"],
  ExportSpecifier: ["local", "exported"],
  ExportDefaultDeclaration: ["declaration"],
  ExportAllDeclaration: ["exported", "source", "attributes"],
};

/** Calls `visit` on each direct child node, in source order. */
export function forEachChild(node: AnyNode, visit: (child: AnyNode) => void): void {
  const fields = node as unknown as Record<string, unknown>;
  const keys = CHILD_KEYS[node.type] ?? Object.keys(node).filter((key) => key !== "loc");
  for (const key of keys) {
    const value = fields[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) visit(item);
    } else if (isNode(value)) {
      visit(value);
    }
  }
}

export interface NodeIndex {
  /** Every node, parents before children (source order). */
  nodes: NodeEntry[];
  /** The same entries grouped by node type, each group in source order. */
  byType: Map<string, NodeEntry[]>;
}

/**
 * Lists every node with its parent. Iterative, so a deeply nested program that the parser accepted
 * cannot overflow the stack here.
 */
export function indexNodes(root: AnyNode): NodeIndex {
  const nodes: NodeEntry[] = [];
  const byType = new Map<string, NodeEntry[]>();
  const stack: NodeEntry[] = [{ node: root, parent: null }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    nodes.push(entry);
    const group = byType.get(entry.node.type);
    if (group) group.push(entry);
    else byType.set(entry.node.type, [entry]);
    const firstChild = stack.length;
    forEachChild(entry.node, (child) => stack.push({ node: child, parent: entry.node }));
    reverseFrom(stack, firstChild);
  }
  return { nodes, byType };
}

/** Reverses `items[from..]` in place, so that popping yields the children in source order. */
function reverseFrom(items: unknown[], from: number): void {
  for (let i = from, j = items.length - 1; i < j; i++, j--) {
    const item = items[i];
    items[i] = items[j];
    items[j] = item;
  }
}

/** The name of a non-computed member or key (`a.b`, `a["b"]`, `{ b: 1 }`), or null. */
export function staticPropertyName(property: AnyNode, computed: boolean): string | null {
  if (!computed && property.type === "Identifier") return property.name;
  if (property.type === "Literal" && typeof property.value === "string") return property.value;
  return null;
}

export function isIdentifier(node: AnyNode | null | undefined, name?: string): node is Identifier {
  return node?.type === "Identifier" && (name === undefined || node.name === name);
}

export function isStringLiteral(node: AnyNode | null | undefined): node is Literal & { value: string } {
  return node?.type === "Literal" && typeof node.value === "string";
}

export function isFunctionNode(node: AnyNode | null | undefined): boolean {
  return (
    node?.type === "FunctionDeclaration" ||
    node?.type === "FunctionExpression" ||
    node?.type === "ArrowFunctionExpression"
  );
}
