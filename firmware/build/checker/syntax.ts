// Syntax Espruino's parser does not know (../../../../shared/reference/espruino.md §4).
import type { AnyNode } from "acorn";
import { isFunctionNode } from "./ast.ts";
import type { Analysis, Finding } from "./types.ts";

export const SYNTAX_RULES = {
  destructuring: "syntax/destructuring",
  spread: "syntax/spread",
  rest: "syntax/rest",
  defaultValue: "syntax/default-value",
  computedKey: "syntax/computed-key",
  exponentiation: "syntax/exponentiation",
  optionalChaining: "syntax/optional-chaining",
  async: "syntax/async",
  generator: "syntax/generator",
  label: "syntax/label",
  taggedTemplate: "syntax/tagged-template",
} as const;

const ALTERNATIVES = {
  destructuring: "read the properties one by one",
  spread:
    "pass an array with fn.apply(thisArg, args), join arrays with concat, copy properties with Object.assign",
  restParameter: "read the extra arguments from `arguments`, or take an array parameter",
  restElement: "copy the remaining elements with slice, or the remaining properties one by one",
  defaultParameter: "test for undefined in the body: if (x === undefined) x = value;",
  defaultValue: "read the property, then test it for undefined",
  computedKey: "create the object first, then assign obj[key] = value",
  exponentiation: "use Math.pow(base, exponent)",
  optionalChaining: "test for null/undefined first: a == null ? undefined : a.b",
  async: "return a Promise and continue in .then() callbacks",
  generator: "use a callback, or an iterator object with an index and a next() method",
  label: "use a flag variable, or move the loops into a function and return from it",
  taggedTemplate: "call the function with the strings and values as arguments",
} as const;

export function checkSyntax(analysis: Analysis): Finding[] {
  const findings: Finding[] = [];
  const report = (rule: string, construct: string, alternative: string, node: AnyNode): void => {
    findings.push({ rule, construct, alternative, offset: node.start });
  };
  for (const { node, parent } of analysis.nodes) {
    switch (node.type) {
      case "ObjectPattern":
      case "ArrayPattern":
        report(
          SYNTAX_RULES.destructuring,
          "destructuring",
          node.type === "ArrayPattern" ? "index the array: var a = arr[0];" : ALTERNATIVES.destructuring,
          node,
        );
        break;
      case "SpreadElement":
        report(SYNTAX_RULES.spread, "spread (...)", ALTERNATIVES.spread, node);
        break;
      case "RestElement":
        report(
          SYNTAX_RULES.rest,
          isFunctionNode(parent) ? "rest parameter (...)" : "rest element (...)",
          isFunctionNode(parent) ? ALTERNATIVES.restParameter : ALTERNATIVES.restElement,
          node,
        );
        break;
      case "AssignmentPattern":
        if (isFunctionNode(parent)) {
          report(SYNTAX_RULES.defaultValue, "default parameter", ALTERNATIVES.defaultParameter, node);
        } else {
          report(SYNTAX_RULES.defaultValue, "destructuring default value", ALTERNATIVES.defaultValue, node);
        }
        break;
      case "Property":
      case "MethodDefinition":
      case "PropertyDefinition":
        if (node.computed) report(SYNTAX_RULES.computedKey, "computed key", ALTERNATIVES.computedKey, node);
        break;
      case "BinaryExpression":
        if (node.operator === "**") {
          report(SYNTAX_RULES.exponentiation, "exponent operator **", ALTERNATIVES.exponentiation, node);
        }
        break;
      case "AssignmentExpression":
        if (node.operator === "**=") {
          report(SYNTAX_RULES.exponentiation, "exponent assignment **=", "x = Math.pow(x, exponent)", node);
        }
        break;
      case "ChainExpression":
        report(SYNTAX_RULES.optionalChaining, "optional chaining ?.", ALTERNATIVES.optionalChaining, node);
        break;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression": {
        // A method's function starts at its parameters; its `async`/`*` are on the method.
        const at = isMethodValue(node, parent) ? parent! : node;
        if (node.async) report(SYNTAX_RULES.async, "async function", ALTERNATIVES.async, at);
        if (node.generator) report(SYNTAX_RULES.generator, "generator function", ALTERNATIVES.generator, at);
        break;
      }
      case "AwaitExpression":
        report(SYNTAX_RULES.async, "await", ALTERNATIVES.async, node);
        break;
      case "ForOfStatement":
        if (node.await) report(SYNTAX_RULES.async, "for await…of", ALTERNATIVES.async, node);
        break;
      case "YieldExpression":
        report(SYNTAX_RULES.generator, "yield", ALTERNATIVES.generator, node);
        break;
      case "LabeledStatement":
        report(SYNTAX_RULES.label, "label", ALTERNATIVES.label, node);
        break;
      case "TaggedTemplateExpression":
        report(SYNTAX_RULES.taggedTemplate, "tagged template", ALTERNATIVES.taggedTemplate, node);
        break;
    }
  }
  return findings;
}

function isMethodValue(node: AnyNode, parent: AnyNode | null): boolean {
  if (parent?.type === "MethodDefinition") return parent.value === node;
  return parent?.type === "Property" && (parent.method || parent.kind !== "init") && parent.value === node;
}
