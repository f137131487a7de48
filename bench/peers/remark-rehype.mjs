// The raw peer of `passerelle build`: every Markdown file given (the same
// Markdown the build publishes) through remark-parse (GFM, front matter) →
// remark-rehype → rehype-stringify, one .html written per file into `out`.
// Usage: node remark-rehype.mjs <out> <file.md…>
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import rehypeStringify from 'rehype-stringify'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'

const [out, ...files] = process.argv.slice(2)
const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkRehype).use(rehypeStringify).freeze()
for (const file of files) {
  const html = String(await processor.process(await readFile(file, 'utf8')))
  const target = join(out, basename(dirname(file)), basename(file, '.md') + '.html')
  await mkdir(dirname(target), {recursive: true})
  await writeFile(target, html)
}
