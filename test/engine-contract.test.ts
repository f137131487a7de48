// Every engine that can run here passes the same contract, faults included.
import {execFileSync} from 'node:child_process'
import {afterAll, beforeAll, onTestFinished} from 'vitest'
import {createApertiumEngine} from '../src/engines/apertium/index.ts'
import {createPseudoEngine} from '../src/engines/pseudo.ts'
import {engineContract} from './helpers/engine-contract.ts'
import {engineFor, startFakeDeepl, type FakeDeepl} from './helpers/deepl-server.ts'
import {faultEngine} from './helpers/fault-engine.ts'

const hasApertium = (() => {
  try {
    return execFileSync('apertium', ['-l'], {encoding: 'utf8'}).includes('fr-es')
  } catch {
    return false
  }
})()

// Pseudo has no backend to fail: its faults come from the fault engine, which wraps it.
engineContract('pseudo', createPseudoEngine, ['en', 'es'], {
  refused: {from: 'fr', to: 'fr'},
  failing: () => faultEngine({failOnCall: 1, code: 'E_ENGINE'}),
  partial: () => faultEngine({failOnCall: 1, code: 'E_QUOTA', partial: true})
})

if (hasApertium || process.env.CI) {
  engineContract('apertium', () => createApertiumEngine(), ['es', 'en', 'ca'], {
    refused: {from: 'fr', to: 'de'},
    // A binary that exits 1 whatever it is asked: Apertium failing mid-run.
    failing: () => createApertiumEngine({binary: 'false'})
  })
}

// DeepL against the local fake DeepL v2 server.
let fake: FakeDeepl
beforeAll(async () => {
  fake = await startFakeDeepl()
})
afterAll(() => fake?.close())

async function ownFake(setup: (server: FakeDeepl) => void): Promise<FakeDeepl> {
  const server = await startFakeDeepl()
  onTestFinished(() => server.close())
  setup(server)
  return server
}

engineContract('deepl', () => engineFor(fake), ['en', 'es', 'ca'], {
  refused: {from: 'fr', to: 'xx'},
  failing: async () => engineFor(await ownFake((server) => server.inject({status: 500, times: 100}))),
  // The character quota runs out after the first request of a batch DeepL gets in three.
  partial: async () =>
    engineFor(
      await ownFake((server) => {
        server.characterLimit = 60 * 'Phrase <1>numéro</1> 100.'.length
      }),
      {concurrency: 1}
    )
})
