// The plain parse the MT pipeline cannot do without: every Markdown file
// given through remark-parse with the pipeline's dialect (GFM, YAML front
// matter), nothing else. `bench/apertium-overhead.ts` runs it in a fresh
// process so its CPU time is what `translate` pays for parsing alone.
// Usage: node remark-parse.mjs <file.md…>
import {readFile} from 'node:fs/promises'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze()
let nodes = 0
for (const file of process.argv.slice(2)) nodes += processor.parse(await readFile(file, 'utf8')).children.length
console.log(`${nodes} top-level nodes`)
