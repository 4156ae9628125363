// Static members are not inherited on Espruino: `Sub.create()` fails when only `Base` declares `create`.
import type { AnonymousClassDeclaration, AnyNode, ClassDeclaration, ClassExpression } from "acorn";
import { isStringLiteral, staticPropertyName } from "./ast.ts";
import type { Binding } from "./scope.ts";
import type { Analysis, Finding } from "./types.ts";

export const STATIC_INHERITANCE_RULE = "class/static-inheritance";

interface ClassInfo {
  name: string;
  statics: Set<string>;
  superClass: AnyNode | null;
}

export function checkStaticInheritance(analysis: Analysis): Finding[] {
  const classes = collectClasses(analysis);
  if (classes.size === 0) return [];
  const classOfIdentifier = (node: AnyNode): ClassInfo | undefined => {
    if (node.type !== "Identifier") return undefined;
    const binding = analysis.scopes.referenceOf.get(node)?.binding;
    return binding ? classes.get(binding) : undefined;
  };
  collectAssignedStatics(analysis, classOfIdentifier);

  const findings: Finding[] = [];
  for (const { node, parent } of analysis.nodesOfType("MemberExpression")) {
    if (parent?.type === "AssignmentExpression" && parent.left === node) continue;
    const subclass = classOfIdentifier(node.object);
    const member = staticPropertyName(node.property, node.computed);
    if (!subclass || member === null || subclass.statics.has(member)) continue;
    const owner = ancestorDeclaring(subclass, member, classOfIdentifier);
    if (!owner) continue;
    const used = node.object.type === "Identifier" ? node.object.name : subclass.name;
    findings.push({
      rule: STATIC_INHERITANCE_RULE,
      construct: `static member ${owner.name}.${member} used through subclass ${used}`,
      alternative: `static methods are not inherited on Espruino: use ${owner.name}.${member} directly, or declare ${member} on ${used}`,
      offset: node.start,
    });
  }
  return findings;
}

/** Every class of the script, under each binding that names it (declaration, `var X = class`, aliases). */
function collectClasses(analysis: Analysis): Map<Binding, ClassInfo> {
  const { bindingOf, referenceOf } = analysis.scopes;
  const classes = new Map<Binding, ClassInfo>();
  const add = (binding: Binding | null | undefined, info: ClassInfo): void => {
    if (binding && !classes.has(binding)) classes.set(binding, info);
  };
  const declarations = analysis.nodesOfType("ClassDeclaration");
  for (const { node, parent } of [...declarations, ...analysis.nodesOfType("ClassExpression")]) {
    const outerName =
      parent?.type === "VariableDeclarator" && parent.init === node && parent.id.type === "Identifier"
        ? parent.id
        : parent?.type === "AssignmentExpression" &&
            parent.right === node &&
            parent.left.type === "Identifier"
          ? parent.left
          : null;
    const info = describeClass(node, outerName?.name ?? node.id?.name ?? "(anonymous class)");
    if (node.id) add(bindingOf.get(node.id), info);
    if (outerName) add(bindingOf.get(outerName) ?? referenceOf.get(outerName)?.binding, info);
  }
  if (classes.size === 0) return classes;
  // `var l = a` (esbuild writes such aliases): l names the same class. Source order resolves chains.
  for (const { node } of analysis.nodesOfType("VariableDeclarator")) {
    if (node.id.type !== "Identifier" || node.init?.type !== "Identifier") continue;
    const aliased = referenceOf.get(node.init)?.binding;
    const info = aliased ? classes.get(aliased) : undefined;
    if (info) add(bindingOf.get(node.id), info);
  }
  return classes;
}

function describeClass(
  node: ClassDeclaration | AnonymousClassDeclaration | ClassExpression,
  name: string,
): ClassInfo {
  const statics = new Set<string>();
  for (const member of node.body.body) {
    if (member.type === "StaticBlock" || !member.static) continue;
    const memberName = staticPropertyName(member.key, member.computed);
    if (memberName !== null) statics.add(memberName);
  }
  return { name, statics, superClass: node.superClass ?? null };
}

/**
 * Statics added outside the class body: `C.x = 1`, and lowered static fields such as esbuild's
 * `__publicField(C, "x", 1)` (any call taking the class, a string literal and a value).
 */
function collectAssignedStatics(
  analysis: Analysis,
  classOfIdentifier: (node: AnyNode) => ClassInfo | undefined,
): void {
  for (const { node } of analysis.nodesOfType("AssignmentExpression")) {
    if (node.left.type !== "MemberExpression") continue;
    const info = classOfIdentifier(node.left.object);
    const name = staticPropertyName(node.left.property, node.left.computed);
    if (info && name !== null) info.statics.add(name);
  }
  for (const { node } of analysis.nodesOfType("CallExpression")) {
    const [target, key, value] = node.arguments;
    const info = target && value ? classOfIdentifier(target) : undefined;
    if (info && isStringLiteral(key)) info.statics.add(key.value);
  }
}

function ancestorDeclaring(
  subclass: ClassInfo,
  member: string,
  classOfIdentifier: (node: AnyNode) => ClassInfo | undefined,
): ClassInfo | null {
  const visited = new Set<ClassInfo>([subclass]);
  let current = subclass.superClass ? classOfIdentifier(subclass.superClass) : undefined;
  while (current && !visited.has(current)) {
    if (current.statics.has(member)) return current;
    visited.add(current);
    current = current.superClass ? classOfIdentifier(current.superClass) : undefined;
  }
  return null;
}
