// The raw peer of `passerelle status`: read and JSON.parse every bundle
// (locales/<lng>/<slug>.json) and count its segments.
// Usage: node json-parse.mjs <locales folder>
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'

const [localesDir] = process.argv.slice(2)
let segments = 0
for (const locale of (await readdir(localesDir, {withFileTypes: true})).filter((entry) => entry.isDirectory())) {
  for (const name of (await readdir(join(localesDir, locale.name))).filter((file) => file.endsWith('.json'))) {
    segments += JSON.parse(await readFile(join(localesDir, locale.name, name), 'utf8')).segments.length
  }
}
console.log(`${segments} segments`)
