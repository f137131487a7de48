// Every engine that can run here passes the same contract.
import {execFileSync} from 'node:child_process'
import {afterAll, beforeAll} from 'vitest'
import {createApertiumEngine} from '../src/engines/apertium/index.ts'
import {createPseudoEngine} from '../src/engines/pseudo.ts'
import {engineContract} from './helpers/engine-contract.ts'
import {engineFor, startFakeDeepl, type FakeDeepl} from './helpers/deepl-server.ts'

const hasApertium = (() => {
  try {
    return execFileSync('apertium', ['-l'], {encoding: 'utf8'}).includes('fr-es')
  } catch {
    return false
  }
})()

engineContract('pseudo', createPseudoEngine, ['en', 'es'])
if (hasApertium || process.env.CI) engineContract('apertium', () => createApertiumEngine(), ['es', 'en', 'ca'])

// DeepL against the local fake DeepL v2 server.
let fake: FakeDeepl
beforeAll(async () => {
  fake = await startFakeDeepl()
})
afterAll(() => fake?.close())
engineContract('deepl', () => engineFor(fake), ['en', 'es', 'ca'])
