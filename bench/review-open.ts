// `npm run bench -- reviewOpen`: opening an article of 5,000 segments in the
// review app. Server: `GET /api/articles/…?rows=recorded` (what the client
// asks) against the peer `JSON.parse` of the same bundle file, interleaved;
// and the full live check of every segment (the earlier open) once. Browser
// (Debian Chromium): time until the first row shows and rows in the DOM,
// against a plain render of 5,000 rows of the same texts in one page.
import {readFile} from 'node:fs/promises'
import {loadavg} from 'node:os'
import {performance} from 'node:perf_hooks'
import {createReviewApp, startReviewServer} from '../src/review/index.ts'
import {bundlePath} from '../src/workflow/store.ts'
import {bigArticleProject} from '../test/helpers/big-article.ts'
import {launchChromium} from '../test/helpers/browser.ts'

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const round = (value: number) => Math.round(value)

export async function benchReviewOpen({segments = 5000, rounds = 5} = {}) {
  const big = await bigArticleProject(segments)
  try {
    const file = bundlePath(big.project.localesDir, 'en', big.slug)
    const open: number[] = []
    const peer: number[] = []
    for (let round = 0; round < rounds; round++) {
      // A fresh app each round: nothing cached, as when the server has just started.
      const app = createReviewApp(big.project, {csrfSecret: 'ab'.repeat(16)})
      let start = performance.now()
      const response = await app.request(`/api/articles/en/${big.slug}?rows=recorded`)
      await response.text()
      open.push(performance.now() - start)
      start = performance.now()
      JSON.parse(await readFile(file, 'utf8'))
      peer.push(performance.now() - start)
    }
    const app = createReviewApp(big.project, {csrfSecret: 'ab'.repeat(16)})
    let start = performance.now()
    await (await app.request(`/api/articles/en/${big.slug}`)).text()
    const allChecked = performance.now() - start
    start = performance.now()
    await (await app.request(`/api/articles/en/${big.slug}?rows=recorded`)).text()
    const reopened = performance.now() - start

    const server = await startReviewServer(big.project, {port: 0})
    const browser = await launchChromium()
    try {
      const page = await browser.newPage({viewport: {width: 1440, height: 900}})
      start = performance.now()
      await page.goto(new URL(`/#/a/en/${big.slug}`, server.url).href)
      await page.locator('.seg').first().waitFor({timeout: 300_000})
      const firstRow = performance.now() - start
      const rowsInDom = await page.locator('.seg').count()
      // The peer: the same 5,000 texts as plain rows, one page, nothing windowed.
      const texts = big.bundle.segments.map((segment) => [segment.source, segment.target ?? ''])
      const plain = await browser.newPage({viewport: {width: 1440, height: 900}})
      start = performance.now()
      await plain.setContent('<main></main>')
      await plain.evaluate((rows) => {
        const main = document.querySelector('main')!
        for (const [source, target] of rows) {
          const row = document.createElement('div')
          row.style.display = 'grid'
          row.style.gridTemplateColumns = '1fr 1fr'
          for (const text of [source, target]) row.appendChild(document.createElement('div')).textContent = text!
          main.appendChild(row)
        }
        return document.body.getBoundingClientRect().height
      }, texts)
      const plainRender = performance.now() - start
      return {
        segments,
        rounds,
        loadAverage: Number(loadavg()[0]!.toFixed(1)),
        server: {
          openMs: round(median(open)),
          peerJsonParseMs: round(median(peer)),
          ratio: Number((median(open) / median(peer)).toFixed(2)),
          everySegmentCheckedMs: round(allChecked),
          reopenedAfterChecksMs: round(reopened)
        },
        browser: {firstRowMs: round(firstRow), rowsInDom, peerPlainRenderMs: round(plainRender), peerRowsInDom: segments, ratio: Number((firstRow / plainRender).toFixed(2))}
      }
    } finally {
      await browser.close()
      await server.close()
    }
  } finally {
    await big.cleanup()
  }
}
