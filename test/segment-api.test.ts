import {describe, expect, it} from 'vitest'
import * as segment from '../src/segment/index.ts'

describe('src/segment', () => {
  it('should expose the public api', () => {
    expect(Object.keys(segment).sort()).toEqual([
      'createMarkdownProcessor',
      'escapeIcu',
      'escapeText',
      'handlers',
      'hashText',
      'normalizeForHash',
      'normalizeMarkdown',
      'parseArticle',
      'parseMarkdown',
      'parseTags',
      'rebuild',
      'rebuildArticle',
      'rebuildTree',
      'renderTagged',
      'renumberTags',
      'segmenterIdentity',
      'sentenceSpans',
      'splitSentences',
      'stringifyMarkdown',
      'stringifyOptions',
      'stripTags',
      'tagMismatches',
      'tokenizeTagged',
      'translatableFields',
      'unescapeText'
    ])
  })

  it('uses `-` bullets and ATX headings when writing Markdown', () => {
    expect(segment.stringifyOptions).toMatchObject({bullet: '-', setext: false})
    expect(segment.normalizeMarkdown('Titre\n=====\n\n* a\n* b\n')).toBe('# Titre\n\n- a\n- b\n')
  })
})

describe('tagMismatches', () => {
  it('lists missing, foreign and miscounted tags, and nothing when they match', async () => {
    const {tagMismatches} = await import('../src/segment/index.ts')
    expect(tagMismatches('Voir <1>le site</1> et <2/>.', 'See <2/> and <1>the site</1>.')).toEqual([])
    expect(tagMismatches('Voir <1>le site</1> et <2/>.', 'See the site <3/>.')).toEqual([
      '<1>…</1> is missing',
      '<2/> is missing',
      '<3/> is not in the source'
    ])
    expect(tagMismatches('A <1/>.', 'A <1/> <1/>.')).toEqual(['<1/> is not used as often as in the source'])
  })
})

