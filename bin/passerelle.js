#!/usr/bin/env node
// Runs the CLI compiled to lib/ by `npm ci` (the `prepare` script) in this
// same process: no TypeScript loader and no second process, so a signal sent
// to this PID reaches the command itself.
try {
  await import('../lib/cli.js')
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('lib/cli.js')) {
    console.error('passerelle: the compiled CLI (lib/cli.js) is missing — run `npm ci` or `npm run compile` in the project folder')
    process.exit(1)
  }
  throw error
}
