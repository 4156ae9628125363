// Regular-expression features Espruino's own regex engine lacks, in literals and in RegExp("...").
import type { AnyNode } from "acorn";
import { isIdentifier, isStringLiteral } from "./ast.ts";
import type { Analysis, Finding } from "./types.ts";

export const REGEX_RULES = {
  numericQuantifier: "regex/numeric-quantifier",
  lookaround: "regex/lookaround",
  namedGroup: "regex/named-group",
  flag: "regex/flag",
} as const;

export interface RegexFeature {
  rule: string;
  construct: string;
  alternative: string;
  /** Index in the pattern (or in the flags, for a flag). */
  index: number;
}

const NUMERIC_QUANTIFIER = /\{\d+(?:,\d*)?\}/y;

const LOOKAROUNDS: ReadonlyArray<[string, string]> = [
  ["(?<=", "lookbehind"],
  ["(?<!", "negative lookbehind"],
  ["(?=", "lookahead"],
  ["(?!", "negative lookahead"],
];

const FLAG_ALTERNATIVES: ReadonlyMap<string, string> = new Map([
  ["y", "use the g flag and check match.index, or match against a slice of the string"],
  ["u", "drop the u flag: strings are 8-bit on Espruino; write non-ASCII characters as escapes"],
  ["s", "drop the s flag and write [^] (or [\\s\\S]) where . must match line breaks"],
  ["d", "drop the d flag and work out the indices from match.index and the group lengths"],
  ["v", "drop the v flag and write plain character classes"],
]);

/** Lists the unsupported features of a regex source, skipping escapes and character classes. */
export function findUnsupportedPatternFeatures(pattern: string): RegexFeature[] {
  const features: RegexFeature[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") {
      inClass = true;
    } else if (c === "(" && pattern[i + 1] === "?") {
      const feature = groupFeature(pattern, i);
      if (feature) features.push(feature);
    } else if (c === "{") {
      NUMERIC_QUANTIFIER.lastIndex = i;
      const match = NUMERIC_QUANTIFIER.exec(pattern);
      if (match) {
        features.push({
          rule: REGEX_RULES.numericQuantifier,
          construct: `regex quantifier ${match[0]}`,
          alternative:
            "the regex silently never matches: repeat the atom (\\d\\d\\d for \\d{3}), or use + and check the length in code",
          index: i,
        });
        i += match[0].length - 1;
      }
    }
  }
  return features;
}

function groupFeature(pattern: string, index: number): RegexFeature | null {
  for (const [opening, name] of LOOKAROUNDS) {
    if (pattern.startsWith(opening, index)) {
      return {
        rule: REGEX_RULES.lookaround,
        construct: `regex ${name} ${opening}…)`,
        alternative: "match without it and test the neighbouring text in code",
        index,
      };
    }
  }
  if (pattern.startsWith("(?<", index)) {
    const close = pattern.indexOf(">", index);
    const opening = close > 0 ? pattern.slice(index, close + 1) : "(?<";
    return {
      rule: REGEX_RULES.namedGroup,
      construct: `regex named group ${opening}`,
      alternative: "use a plain group ( ) and read it by number: match[1]",
      index,
    };
  }
  return null;
}

export function findUnsupportedFlags(flags: string): RegexFeature[] {
  const features: RegexFeature[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    const alternative = FLAG_ALTERNATIVES.get(flag);
    if (alternative) {
      features.push({ rule: REGEX_RULES.flag, construct: `regex flag ${flag}`, alternative, index: i });
    }
  }
  return features;
}

/** The text of a string literal or of a template literal without substitutions. */
function constantString(node: AnyNode | undefined): string | null {
  if (isStringLiteral(node)) return node.value;
  if (node?.type === "TemplateLiteral" && node.expressions.length === 0) {
    return node.quasis[0]?.value.cooked ?? null;
  }
  return null;
}

export function checkRegex(analysis: Analysis): Finding[] {
  const findings: Finding[] = [];
  const report = (features: RegexFeature[], offsetOf: (index: number) => number): void => {
    for (const { rule, construct, alternative, index } of features) {
      findings.push({ rule, construct, alternative, offset: offsetOf(index) });
    }
  };
  // A string's escapes make its text differ from the source, so point at the argument itself.
  const reportArgument = (argument: AnyNode | undefined, find: (text: string) => RegexFeature[]): void => {
    const text = constantString(argument);
    if (argument && text !== null) report(find(text), () => argument.start);
  };
  for (const { node } of analysis.nodesOfType("Literal")) {
    if (!node.regex) continue;
    const { pattern, flags } = node.regex;
    const flagsStart = node.end - flags.length;
    // The pattern is the literal's source text between the slashes, so indexes map to offsets.
    report(findUnsupportedPatternFeatures(pattern), (index) => node.start + 1 + index);
    report(findUnsupportedFlags(flags), (index) => flagsStart + index);
  }
  const constructions = [...analysis.nodesOfType("NewExpression"), ...analysis.nodesOfType("CallExpression")];
  for (const { node } of constructions) {
    if (!isGlobalRegExp(analysis, node)) continue;
    const [patternArgument, flagsArgument] = node.arguments;
    reportArgument(patternArgument, findUnsupportedPatternFeatures);
    reportArgument(flagsArgument, findUnsupportedFlags);
  }
  return findings;
}

function isGlobalRegExp(analysis: Analysis, call: { callee: AnyNode }): boolean {
  const callee = call.callee;
  if (!isIdentifier(callee, "RegExp")) return false;
  return analysis.scopes.referenceOf.get(callee)?.binding === null;
}
