// The CLI tests run bin/passerelle.js, which runs the compiled lib/cli.js:
// compile it before any test file runs, so they never exercise a stale build.
import {execFileSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/compile.mjs', import.meta.url))], {stdio: 'inherit'})
}
