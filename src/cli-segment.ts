// The fast path of `passerelle segment <file>` (one process per file, as a
// make rule or a CMS hook runs it), compiled on its own to lib/segment.cjs:
// CommonJS, so that bin/passerelle.js can load it with a V8 code cache
// (src/io/code-cache.ts), which ES modules cannot have on Node 20. It holds
// the parser and nothing else; anything but success (a bad file, a usage
// error) is left to the full CLI, so messages and exit codes are its own.
export {segmentsJson} from './segment/command.ts'
