// The plain parse the MT pipeline cannot do without: every Markdown file
// given through remark-parse with the pipeline's dialect (GFM, YAML front
// matter), nothing else. `bench/apertium-overhead.ts` runs it in a fresh
// process so its CPU time is what `translate` pays for parsing alone.
// Prints the CPU seconds (user + system, every thread: GC included) of the
// parses alone, without Node's start-up and module loading.
// Usage: node remark-parse.mjs <file.md…>
import {readFile} from 'node:fs/promises'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze()
const texts = await Promise.all(process.argv.slice(2).map((file) => readFile(file, 'utf8')))
const start = process.cpuUsage()
let nodes = 0
for (const text of texts) nodes += processor.parse(text).children.length
const used = process.cpuUsage(start)
console.log(JSON.stringify({nodes, parseCpuSeconds: (used.user + used.system) / 1e6}))
