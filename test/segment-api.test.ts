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
      'sentenceSpans',
      'splitSentences',
      'stringifyMarkdown',
      'stringifyOptions',
      'stripTags',
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
