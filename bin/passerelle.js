#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so that no build step stands between a clone and a run.
import {spawnSync} from 'node:child_process'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const require = createRequire(import.meta.url)
const root = dirname(dirname(fileURLToPath(import.meta.url)))
const tsxLoader = require.resolve('tsx')
const result = spawnSync(process.execPath, ['--import', tsxLoader, join(root, 'src', 'cli.ts'), ...process.argv.slice(2)], {stdio: 'inherit'})
process.exit(result.status ?? 1)
