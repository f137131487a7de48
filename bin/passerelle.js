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
const [command, file, ...rest] = process.argv.slice(2)
if (!(command === 'segment' && file !== undefined && !file.startsWith('-') && rest.length === 0 && (await segmentFast(file)))) {
  try {
    await import('../lib/cli.js')
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('lib/cli.js')) {
      console.error('passerelle: the compiled CLI (lib/cli.js) is missing — run `npm ci` or `npm run compile` in the project folder')
      process.exit(1)
    }
    throw error
  }
}

/** Print the segments of `path` through lib/segment.cjs; false when the full CLI must do it. */
async function segmentFast(path) {
  let bundle
  try {
    const {loadWithCodeCache} = await import('../lib/code-cache.js')
    const {fileURLToPath} = await import('node:url')
    bundle = loadWithCodeCache(fileURLToPath(new URL('../lib/segment.cjs', import.meta.url)))
  } catch {
    return false
  }
  let json
  try {
    json = await bundle.exports.segmentsJson(path)
  } catch {
    return false
  }
  // `passerelle segment f | head -1`: a reader that has had enough is not an error.
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error
    process.exit(0)
  })
  process.stdout.write(`${json}\n`)
  bundle.save()
  return true
}
