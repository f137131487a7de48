// `passerelle segment <file>`: one article's segments as the JSON the command
// prints. Shared by the full CLI (src/cli.ts) and its fast path for one file
// per process (src/cli-segment.ts, compiled to lib/segment.cjs), so both
// print the same bytes.
import {readTextFile} from '../io/read-text.ts'
import {parseArticle} from './parse-article.ts'

export async function segmentsJson(file: string): Promise<string> {
  return JSON.stringify(parseArticle(await readTextFile(file), {file}).segments, null, 2)
}
