// Loads a CommonJS bundle (lib/segment.cjs) with a V8 code cache beside it,
// so that a process started for one file does not compile the parser again:
// the cache holds the bytecode of every function the run that wrote it used.
// Node 20 has no compile cache for ES modules (module.enableCompileCache is
// Node 22), hence CommonJS and vm.Script's cachedData.
//
// A cache is used only when it is exactly what this bundle and this Node
// wrote: the file starts with a header naming the Node and V8 versions, the
// SHA-256 of the bundle's source and of the cached data. V8 checks its own
// version and flags but, in a release build, neither the source (only its
// length) nor the data's integrity, so a stale or damaged cache could
// otherwise run the wrong code or crash. Any mismatch, a missing or
// unreadable file, or V8 rejecting the data means compiling from source as
// if there were no cache; `save()` then writes a fresh one (atomically, and
// not at all where the folder is read-only).
import {hash} from 'node:crypto'
import {readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire, Module} from 'node:module'
import {dirname} from 'node:path'
import {Script} from 'node:vm'

const magic = 'passerelle code cache 1\n'

/** What became of the cache: used as it was, or why not. */
export type CacheState = 'used' | 'missing' | 'stale' | 'damaged' | 'rejected'

export interface CachedBundle<T> {
  exports: T
  cache: CacheState
  /** Write a fresh cache when the one found was not used (after the run, so that it holds what the run compiled); never throws. */
  save(): boolean
}

interface Header {
  node: string
  v8: string
  arch: string
  source: string
  data: string
}

const sha256 = (data: Uint8Array | string) => hash('sha256', data, 'hex')

function expectedHeader(source: Buffer): Omit<Header, 'data'> {
  return {node: process.version, v8: process.versions.v8, arch: process.arch, source: sha256(source)}
}

/** The cached data in `file` when its header matches `source` and this Node, else why not. */
export function readCodeCache(file: string, source: Buffer): {data: Buffer} | {state: Exclude<CacheState, 'used' | 'rejected'>} {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch {
    return {state: 'missing'}
  }
  const end = bytes.indexOf(10, magic.length)
  if (end < 0 || bytes.subarray(0, magic.length).toString('latin1') !== magic) return {state: 'damaged'}
  let header: Partial<Header>
  try {
    header = JSON.parse(bytes.subarray(magic.length, end).toString('utf8')) as Partial<Header>
  } catch {
    return {state: 'damaged'}
  }
  const expected = expectedHeader(source)
  if (header.node !== expected.node || header.v8 !== expected.v8 || header.arch !== expected.arch || header.source !== expected.source) return {state: 'stale'}
  const data = bytes.subarray(end + 1)
  return header.data === sha256(data) ? {data} : {state: 'damaged'}
}

/** Write `data` as the cache of `source` (to a temporary file renamed into place: a reader never sees half a cache). */
export function writeCodeCache(file: string, source: Buffer, data: Buffer): boolean {
  const header: Header = {...expectedHeader(source), data: sha256(data)}
  const temporary = `${file}.${process.pid}.tmp`
  try {
    writeFileSync(temporary, Buffer.concat([Buffer.from(magic + JSON.stringify(header) + '\n', 'utf8'), data]))
    renameSync(temporary, file)
    return true
  } catch {
    try {
      rmSync(temporary, {force: true})
    } catch {
      // Not even a temporary file could be made there.
    }
    return false
  }
}

/** Run the CommonJS bundle at `bundle` (an absolute path) and return its exports, compiled with the cache at `cacheFile` when it is valid. */
export function loadWithCodeCache<T>(bundle: string, cacheFile = `${bundle}.cache`): CachedBundle<T> {
  const source = readFileSync(bundle)
  const found = readCodeCache(cacheFile, source)
  const cachedData = 'data' in found ? found.data : undefined
  const script = new Script(Module.wrap(source.toString('utf8')), {filename: bundle, cachedData})
  const cache: CacheState = cachedData === undefined ? ('state' in found ? found.state : 'missing') : script.cachedDataRejected ? 'rejected' : 'used'
  const module = {exports: {} as T}
  const wrapper = script.runInThisContext() as (exports: T, require: NodeJS.Require, module: {exports: T}, filename: string, dirname: string) => void
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle))
  return {
    exports: module.exports,
    cache,
    save: () => cache !== 'used' && writeCodeCache(cacheFile, source, script.createCachedData())
  }
}
