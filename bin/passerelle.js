#!/usr/bin/env node
// Runs the CLI compiled to lib/ by `npm ci` (the `prepare` script) in this
// same process: no TypeScript loader and no second process, so a signal sent
// to this PID reaches the command itself.
//
// `passerelle segment <file>` alone (one process per file, as po4a is run)
// takes a fast path first: lib/segment.cjs with its V8 code cache, without
// commander or the ES module loader. Anything but success there (no such
// bundle, a bad file) goes to the full CLI below, which does the same work
// and prints its own messages.
//
// This file is CommonJS (bin/package.json): an ES module entry point costs
// the fast path about 10 ms of CPU in module loading, 5 % of its run.
'use strict'

const [command, file, ...rest] = process.argv.slice(2)
if (command === 'segment' && file !== undefined && !file.startsWith('-') && rest.length === 0) {
  segmentFast(file).then((done) => done || runCli())
} else {
  runCli()
}

function runCli() {
  import('../lib/cli.js').catch((error) => {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('lib/cli.js')) {
      console.error('passerelle: the compiled CLI (lib/cli.js) is missing — run `npm ci` or `npm run compile` in the project folder')
      process.exit(1)
    }
    throw error
  })
}

/** Print the segments of `path` through lib/segment.cjs; false when the full CLI must do it. */
async function segmentFast(path) {
  const {setFlagsFromString} = require('node:v8')
  // One short parse: TurboFan would spend more CPU optimising micromark's
  // functions (on a background thread) than the optimised code saves before
  // the process exits (about 20 % of such a run's CPU time). Set before the
  // code cache loads: V8 only accepts a cache written under the same flags,
  // and scripts/compile.mjs writes it through this same path.
  setFlagsFromString('--no-turbofan')
  const fallBack = () => {
    setFlagsFromString('--turbofan')
    return false
  }
  let bundle
  try {
    const {loadWithCodeCache} = require('../lib/code-cache.cjs')
    bundle = loadWithCodeCache(require('node:path').join(__dirname, '..', 'lib', 'segment.cjs'))
  } catch {
    return fallBack()
  }
  let json
  try {
    json = await bundle.exports.segmentsJson(path)
  } catch {
    return fallBack()
  }
  // `passerelle segment f | head -1`: a reader that has had enough is not an error.
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error
    process.exit(0)
  })
  bundle.save()
  // Exit as soon as the output is written: a natural exit would first run
  // the GC work the parse left pending and tear the heap down.
  process.stdout.write(`${json}\n`, (error) => {
    if (!error) process.exit(0)
  })
  return true
}
