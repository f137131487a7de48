// A small ISO Schematron runner for the tests, on fontoxpath (XPath 3.1, so
// the `xslt2` query binding's `matches()` works) over a slimdom document.
// It implements what the TBX dialect rules use: <ns>, <pattern>, <rule
// context>, <assert>/<report>. Within a pattern a node is handled by the
// first rule whose context matches it, elements and attributes alike, as
// ISO Schematron says. (node-schematron was tried first: it never visits
// attribute contexts such as `tbx:termNote/@type`, so it passed files the
// TBX-Basic rules reject.)
import fontoxpath from 'fontoxpath'
import {parseXmlDocument, type Node as SlimNode} from 'slimdom'

// fontoxpath is CommonJS: its functions come through the default export under Node's ESM.
const {evaluateXPath, evaluateXPathToBoolean, evaluateXPathToNodes} = fontoxpath

const sch = 'http://purl.oclc.org/dsdl/schematron'

export interface SchematronFailure {
  pattern: string
  context: string
  test: string
  message: string
  /** `element` or `element/@attribute` the failure is about. */
  node: string
}

export function compileSchematron(schemaText: string): (xml: string) => SchematronFailure[] {
  const schema = parseXmlDocument(schemaText.replace(/^\uFEFF/, ''))
  const ask = (path: string, context: SlimNode) => evaluateXPathToNodes(path, context, null, null, {namespaceResolver: (prefix: string) => (prefix === 's' ? sch : null)}) as SlimNode[]
  const namespaces = new Map<string, string>()
  for (const ns of ask('//s:ns', schema)) namespaces.set(attribute(ns, 'prefix'), attribute(ns, 'uri'))
  const patterns = ask('//s:pattern', schema).map((pattern) => ({
    id: attribute(pattern, 'id'),
    rules: ask('s:rule', pattern).map((rule) => ({
      context: attribute(rule, 'context'),
      checks: ask('s:assert | s:report', rule).map((check) => ({
        report: (check as unknown as {localName: string}).localName === 'report',
        test: attribute(check, 'test'),
        message: (check.textContent ?? '').replace(/\s+/g, ' ').trim()
      }))
    }))
  }))
  const namespaceResolver = (prefix: string) => namespaces.get(prefix) ?? null
  return (xml) => {
    const document = parseXmlDocument(xml)
    const failures: SchematronFailure[] = []
    for (const pattern of patterns) {
      const fired = new Set<SlimNode>()
      for (const rule of pattern.rules) {
        // A match pattern `p` selects what `//(p)` selects (attributes included).
        const nodes = evaluateXPathToNodes(`//(${rule.context})`, document, null, null, {namespaceResolver}) as SlimNode[]
        for (const node of nodes) {
          if (fired.has(node)) continue
          fired.add(node)
          for (const check of rule.checks) {
            const value = evaluateXPathToBoolean(check.test, node, null, null, {namespaceResolver})
            if (value === check.report) failures.push({pattern: pattern.id, context: rule.context, test: check.test, message: check.message, node: describe(node)})
          }
        }
      }
    }
    return failures
  }
}

function attribute(node: SlimNode, name: string): string {
  return String(evaluateXPath(`string(@${name})`, node))
}

function describe(node: SlimNode): string {
  const named = node as unknown as {nodeName: string; ownerElement?: {nodeName: string}; value?: string}
  return named.ownerElement ? `${named.ownerElement.nodeName}/@${named.nodeName}="${named.value ?? ''}"` : named.nodeName
}
