// A structural check for patterns that make a backtracking engine (V8's)
// take exponential or high-polynomial time: `(a+)+$` on a long run of `a`
// froze `translate` and the review app. Linear-time engines (re2) cannot run
// the lookbehinds the termbase relies on, so patterns are refused at load
// instead, before any text meets them.
//
// Rule: a repeated group (max > 1) must not contain an unbounded repetition,
// unless each round of the group starts with a literal character that the
// unbounded repetitions inside cannot match (`(?:\.[a-z]+)*` is fine: a dot
// marks where each round starts, so there is one way to split the input).
// A repeated choice whose branches can start alike (`(a|ab)*`) is refused too.
import regjsparser from 'regjsparser'
import type {AstNode} from 'regjsparser'

type Node = AstNode<{lookbehind: true; namedGroups: true; unicodePropertyEscape: true}>

/** Why the pattern may backtrack catastrophically, or undefined. `flags` as given to RegExp. */
export function backtrackingProblem(pattern: string, flags: string): string | undefined {
  let tree: Node
  try {
    tree = regjsparser.parse(pattern, flags.replace(/[^imsu]/g, ''), {lookbehind: true, namedGroups: true, unicodePropertyEscape: true}) as Node
  } catch {
    return undefined // RegExp itself reports syntax errors
  }
  const ignoreCase = flags.includes('i')
  let found: string | undefined
  visit(tree, (node) => {
    if (found || node.type !== 'quantifier' || (node.max !== undefined && node.max <= 1)) return
    const body = node.body[0]
    const inner = unboundedInside(body)
    if (inner.length > 0 && !startsWithSeparator(body, inner, ignoreCase)) {
      found = `"${node.raw}" repeats "${inner[0]!.raw}" inside a repetition, which can take exponential time on some text`
      return
    }
    const choice = unwrap(body)
    if (choice?.type === 'disjunction' && branchesOverlap(choice.body as Node[], ignoreCase)) {
      found = `"${node.raw}" repeats a choice whose branches can match the same text, which can take exponential time on some text`
    }
  })
  return found ? `${found}: rewrite it so that each character can be matched one way only` : undefined
}

function visit(node: Node, enter: (node: Node) => void): void {
  enter(node)
  if ('body' in node && Array.isArray(node.body)) for (const child of node.body as Node[]) visit(child, enter)
}

/** Quantifiers with no upper bound anywhere inside `node`. */
function unboundedInside(node: Node): Array<Extract<Node, {type: 'quantifier'}>> {
  const found: Array<Extract<Node, {type: 'quantifier'}>> = []
  visit(node, (child) => {
    if (child.type === 'quantifier' && child.max === undefined) found.push(child)
  })
  return found
}

/** The group's content when `node` is a group, else the node. */
function unwrap(node: Node): Node | undefined {
  if (node.type === 'group' && node.behavior !== 'normal' && node.behavior !== 'ignore') return undefined
  if (node.type === 'group') return node.body.length === 1 ? unwrap(node.body[0] as Node) : {type: 'alternative', body: node.body, range: node.range, raw: node.raw} as Node
  return node
}

function startsWithSeparator(body: Node, inner: ReadonlyArray<Extract<Node, {type: 'quantifier'}>>, ignoreCase: boolean): boolean {
  const content = unwrap(body)
  const first = content?.type === 'alternative' ? (content.body[0] as Node | undefined) : content
  if (!first || first.type !== 'value') return false
  const separator = String.fromCodePoint(first.codePoint)
  // Only single characters or classes are judged; a repeated group inside is refused outright.
  return inner.every((quantifier) => {
    const atom = quantifier.body[0] as Node
    if (!['value', 'characterClass', 'characterClassEscape', 'unicodePropertyEscape', 'dot'].includes(atom.type)) return false
    return !new RegExp(`^(?:${atom.raw})$`, ignoreCase ? 'iu' : 'u').test(separator)
  })
}

/** Two branches that can start with the same character (judged on the first character of each). */
function branchesOverlap(branches: readonly Node[], ignoreCase: boolean): boolean {
  const firsts = branches.map((branch) => firstAtom(branch))
  for (let a = 0; a < firsts.length; a++) {
    for (let b = a + 1; b < firsts.length; b++) {
      const x = firsts[a]
      const y = firsts[b]
      if (!x || !y) return true // an empty branch or a group: cannot tell, assume the worst
      const value = x.type === 'value' ? x : y.type === 'value' ? y : undefined
      if (!value) return true // two classes: assume they may overlap
      const other = value === x ? y : x
      if (new RegExp(`^(?:${other.raw})$`, ignoreCase ? 'iu' : 'u').test(String.fromCodePoint(value.codePoint))) return true
    }
  }
  return false
}

function firstAtom(node: Node): Node | undefined {
  if (node.type === 'alternative') return node.body[0] ? firstAtom(node.body[0] as Node) : undefined
  if (node.type === 'quantifier') return node.min > 0 ? firstAtom(node.body[0] as Node) : undefined
  if (['value', 'characterClass', 'characterClassEscape', 'unicodePropertyEscape', 'dot'].includes(node.type)) return node
  return undefined
}
