// Scope analysis: which declaration each identifier refers to, and for each scope whether its code
// runs later than the code around it (a function body) and which loop re-enters it.
import type {
  AnonymousClassDeclaration,
  AnonymousFunctionDeclaration,
  AnyNode,
  ArrowFunctionExpression,
  ClassDeclaration,
  ClassExpression,
  ForInStatement,
  ForOfStatement,
  ForStatement,
  FunctionDeclaration,
  FunctionExpression,
  Identifier,
  Pattern,
  Program,
} from "acorn";
import { forEachChild } from "./ast.ts";

export type ScopeKind = "global" | "module" | "function" | "initializer" | "block" | "name";
export type BindingKind =
  | "var"
  | "let"
  | "const"
  | "function"
  | "class"
  | "parameter"
  | "catch"
  | "import"
  /** The own name of a function or class expression, visible only inside it. */
  | "name";

export interface Scope {
  kind: ScopeKind;
  node: AnyNode;
  parent: Scope | null;
  bindings: Map<string, Binding>;
  /**
   * The code directly in this scope runs later than the code that creates it: a function body or an
   * instance field initializer. A function called where it is written (`(function () {})()`) is not.
   */
  deferred: boolean;
  /** The innermost loop of the same function that enters this scope again on every iteration. */
  loop: AnyNode | null;
}

export interface Binding {
  name: string;
  kind: BindingKind;
  scope: Scope;
  /** The first declaring node: FunctionDeclaration, ClassDeclaration, VariableDeclarator, function... */
  declaration: AnyNode;
  identifier: Identifier;
  references: Reference[];
}

export interface Reference {
  identifier: Identifier;
  scope: Scope;
  /** null: a global that the script does not declare. */
  binding: Binding | null;
}

export interface ScopeAnalysis {
  global: Scope;
  bindings: Binding[];
  references: Reference[];
  referenceOf: Map<Identifier, Reference>;
  /** Each declaring identifier with the binding it declares. */
  bindingOf: Map<Identifier, Binding>;
}

type FunctionNode =
  FunctionDeclaration | AnonymousFunctionDeclaration | FunctionExpression | ArrowFunctionExpression;
type ClassNode = ClassDeclaration | AnonymousClassDeclaration | ClassExpression;
type ForLoop = ForStatement | ForInStatement | ForOfStatement;

const VAR_SCOPE_KINDS: ReadonlySet<ScopeKind> = new Set(["global", "module", "function", "initializer"]);

export function analyzeScopes(program: Program): ScopeAnalysis {
  const builder = new ScopeBuilder(program);
  builder.visit(program);
  return builder.resolve();
}

/** The function run by `callee(...)` on the spot: `(function () {})()`, `(() => {}).call(this)`. */
export function functionInvokedInPlace(callee: AnyNode): FunctionExpression | ArrowFunctionExpression | null {
  if (callee.type === "FunctionExpression" || callee.type === "ArrowFunctionExpression") return callee;
  if (
    callee.type === "MemberExpression" &&
    !callee.computed &&
    callee.property.type === "Identifier" &&
    (callee.property.name === "call" || callee.property.name === "apply") &&
    (callee.object.type === "FunctionExpression" || callee.object.type === "ArrowFunctionExpression")
  ) {
    return callee.object;
  }
  return null;
}

class ScopeBuilder {
  private scope: Scope;
  private loop: AnyNode | null = null;
  private readonly bindings: Binding[] = [];
  private readonly references: Reference[] = [];
  private readonly bindingOf = new Map<Identifier, Binding>();
  private readonly global: Scope;

  constructor(program: Program) {
    this.global = {
      kind: program.sourceType === "module" ? "module" : "global",
      node: program,
      parent: null,
      bindings: new Map(),
      deferred: false,
      loop: null,
    };
    this.scope = this.global;
  }

  resolve(): ScopeAnalysis {
    const referenceOf = new Map<Identifier, Reference>();
    for (const reference of this.references) {
      referenceOf.set(reference.identifier, reference);
      for (let scope: Scope | null = reference.scope; scope; scope = scope.parent) {
        const binding = scope.bindings.get(reference.identifier.name);
        if (binding) {
          reference.binding = binding;
          binding.references.push(reference);
          break;
        }
      }
    }
    return {
      global: this.global,
      bindings: this.bindings,
      references: this.references,
      referenceOf,
      bindingOf: this.bindingOf,
    };
  }

  visit(node: AnyNode): void {
    switch (node.type) {
      case "Identifier":
        this.references.push({ identifier: node, scope: this.scope, binding: null });
        return;
      case "VariableDeclaration":
        for (const declarator of node.declarations) {
          this.declarePattern(declarator.id, declarationKind(node.kind), declarator);
          if (declarator.init) this.visit(declarator.init);
        }
        return;
      case "FunctionDeclaration":
        if (node.id) this.declare(node.id, "function", node);
        this.visitFunction(node, false);
        return;
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        this.visitFunction(node, false);
        return;
      case "ClassDeclaration":
        if (node.id) this.declare(node.id, "class", node);
        this.visitClass(node);
        return;
      case "ClassExpression":
        this.visitClass(node);
        return;
      case "CallExpression": {
        const invoked = functionInvokedInPlace(node.callee);
        if (invoked) this.visitFunction(invoked, true);
        else this.visit(node.callee);
        for (const argument of node.arguments) this.visit(argument);
        return;
      }
      case "BlockStatement":
        this.inScope("block", node, false, this.loop, () => this.visitAll(node.body));
        return;
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement":
        this.visitForLoop(node);
        return;
      case "WhileStatement":
      case "DoWhileStatement":
        this.withLoop(node, () => this.visitChildren(node));
        return;
      case "SwitchStatement":
        this.visit(node.discriminant);
        this.inScope("block", node, false, this.loop, () => this.visitAll(node.cases));
        return;
      case "CatchClause":
        this.inScope("block", node, false, this.loop, () => {
          if (node.param) this.declarePattern(node.param, "catch", node);
          this.visit(node.body);
        });
        return;
      case "MemberExpression":
        this.visit(node.object);
        if (node.computed) this.visit(node.property);
        return;
      case "Property":
        if (node.computed) this.visit(node.key);
        this.visit(node.value);
        return;
      case "LabeledStatement":
        this.visit(node.body);
        return;
      case "ImportDeclaration":
        for (const specifier of node.specifiers) this.declare(specifier.local, "import", node);
        return;
      case "ExportNamedDeclaration":
        if (node.declaration) this.visit(node.declaration);
        if (!node.source) {
          for (const specifier of node.specifiers) {
            if (specifier.local.type === "Identifier") this.visit(specifier.local);
          }
        }
        return;
      case "ExportDefaultDeclaration": {
        const declaration = node.declaration;
        if (declaration.type === "FunctionDeclaration") {
          if (declaration.id) this.declare(declaration.id, "function", declaration);
          this.visitFunction(declaration, false);
        } else if (declaration.type === "ClassDeclaration") {
          if (declaration.id) this.declare(declaration.id, "class", declaration);
          this.visitClass(declaration);
        } else {
          this.visit(declaration);
        }
        return;
      }
      case "BreakStatement":
      case "ContinueStatement":
      case "MetaProperty":
      case "PrivateIdentifier":
      case "ExportAllDeclaration":
        return;
      default:
        this.visitChildren(node);
    }
  }

  private visitAll(nodes: readonly AnyNode[]): void {
    for (const node of nodes) this.visit(node);
  }

  private visitChildren(node: AnyNode): void {
    forEachChild(node, (child) => this.visit(child));
  }

  private inScope(
    kind: ScopeKind,
    node: AnyNode,
    deferred: boolean,
    loop: AnyNode | null,
    body: () => void,
  ): void {
    const outer = this.scope;
    this.scope = { kind, node, parent: outer, bindings: new Map(), deferred, loop };
    body();
    this.scope = outer;
  }

  private withLoop(loop: AnyNode | null, body: () => void): void {
    const outer = this.loop;
    this.loop = loop;
    body();
    this.loop = outer;
  }

  private visitForLoop(node: ForLoop): void {
    this.withLoop(node, () => this.inScope("block", node, false, node, () => this.visitChildren(node)));
  }

  private visitFunction(fn: FunctionNode, invokedInPlace: boolean): void {
    const visitParamsAndBody = (): void =>
      this.withLoop(null, () =>
        this.inScope("function", fn, !invokedInPlace, null, () => {
          for (const param of fn.params) this.declarePattern(param, "parameter", fn);
          if (fn.body.type === "BlockStatement") this.visitAll(fn.body.body);
          else this.visit(fn.body);
        }),
      );
    const ownName = fn.type === "FunctionExpression" ? fn.id : null;
    if (ownName) {
      this.inScope("name", fn, false, this.loop, () => {
        this.declare(ownName, "name", fn);
        visitParamsAndBody();
      });
    } else {
      visitParamsAndBody();
    }
  }

  private visitClass(cls: ClassNode): void {
    const visitHeritageAndBody = (): void => {
      if (cls.superClass) this.visit(cls.superClass);
      for (const member of cls.body.body) {
        if (member.type === "StaticBlock") {
          this.withLoop(null, () =>
            this.inScope("function", member, false, null, () => this.visitAll(member.body)),
          );
          continue;
        }
        if (member.computed) this.visit(member.key);
        if (member.type === "MethodDefinition") {
          this.visitFunction(member.value, false);
        } else if (member.value) {
          const value = member.value;
          // Instance fields are initialised by the constructor, later; static ones right away.
          this.withLoop(null, () =>
            this.inScope("initializer", member, !member.static, null, () => this.visit(value)),
          );
        }
      }
    };
    const ownName = cls.type === "ClassExpression" ? cls.id : null;
    if (ownName) {
      this.inScope("name", cls, false, this.loop, () => {
        this.declare(ownName, "name", cls);
        visitHeritageAndBody();
      });
    } else {
      visitHeritageAndBody();
    }
  }

  /** Declares every name bound by a pattern; default values and computed keys are visited as code. */
  private declarePattern(pattern: Pattern, kind: BindingKind, declaration: AnyNode): void {
    switch (pattern.type) {
      case "Identifier":
        this.declare(pattern, kind, declaration);
        return;
      case "ObjectPattern":
        for (const property of pattern.properties) {
          if (property.type === "RestElement") {
            this.declarePattern(property.argument, kind, declaration);
          } else {
            if (property.computed) this.visit(property.key);
            this.declarePattern(property.value, kind, declaration);
          }
        }
        return;
      case "ArrayPattern":
        for (const element of pattern.elements) if (element) this.declarePattern(element, kind, declaration);
        return;
      case "RestElement":
        this.declarePattern(pattern.argument, kind, declaration);
        return;
      case "AssignmentPattern":
        this.declarePattern(pattern.left, kind, declaration);
        this.visit(pattern.right);
        return;
      default:
        this.visit(pattern);
    }
  }

  private declare(identifier: Identifier, kind: BindingKind, declaration: AnyNode): void {
    const scope = kind === "var" ? this.varScope() : this.scope;
    let binding = scope.bindings.get(identifier.name);
    if (!binding) {
      binding = { name: identifier.name, kind, scope, declaration, identifier, references: [] };
      scope.bindings.set(identifier.name, binding);
      this.bindings.push(binding);
    }
    this.bindingOf.set(identifier, binding);
  }

  private varScope(): Scope {
    let scope = this.scope;
    while (!VAR_SCOPE_KINDS.has(scope.kind) && scope.parent) scope = scope.parent;
    return scope;
  }
}

function declarationKind(kind: "var" | "let" | "const" | "using" | "await using"): BindingKind {
  if (kind === "var" || kind === "let") return kind;
  // `using` bindings are constants with a disposer; for scoping they behave as const.
  return "const";
}

/** True when code in `inner` runs later than code directly in `outer` (`outer` encloses `inner`). */
export function runsLaterThan(inner: Scope, outer: Scope): boolean {
  for (let scope: Scope | null = inner; scope && scope !== outer; scope = scope.parent) {
    if (scope.deferred) return true;
  }
  return false;
}
