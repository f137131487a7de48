// Which URLs the published site may link to (src/publish/urls.ts), and the
// French fallback marking (src/publish/fallback.ts) on HTML a reader gets.
import {describe, expect, it} from 'vitest'
import {markdownTreeToHtml} from '../src/publish/html.ts'
import {markFallback} from '../src/publish/fallback.ts'
import {isSafeUrl} from '../src/publish/urls.ts'

describe('isSafeUrl', () => {
  it.each([
    'https://www.iom.int/fr',
    'http://example.org',
    'mailto:decorte@un.org',
    'tel:+41227179111',
    'autre.html',
    '../es/x.html',
    '#section',
    '?q=1',
    '//cdn.example.org/x.png',
    'path/with:colon'
  ])('allows %s', (url) => expect(isSafeUrl(url)).toBe(true))

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '\u0001javascript:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'blob:https://x/1'
  ])('refuses %j', (url) => expect(isSafeUrl(url)).toBe(false))
})

describe('fallback marking', () => {
  it('wraps a fallback sentence, tags and all, in one span with the source language', async () => {
    expect(await markdownTreeToHtml({type: 'root', children: [{type: 'paragraph', children: [{type: 'text', value: markFallback('Bonjour.')}]}]}, {lang: 'fr', marker: false})).toBe(
      '<p><span lang="fr" class="fallback">Bonjour.</span></p>'
    )
    const html = await markdownTreeToHtml(
      {
        type: 'root',
        children: [
          {
            type: 'paragraph',
            children: [
              {type: 'text', value: 'Translated sentence. '},
              // What rebuild gives for markFallback('Voir <1>le site</1>.'): the marks land in the text around the link.
              {type: 'text', value: markFallback('Voir <1>le site</1>.').split('<1>')[0]!},
              {type: 'link', url: 'https://www.iom.int', children: [{type: 'text', value: 'le site'}]},
              {type: 'text', value: markFallback('Voir <1>le site</1>.').split('</1>')[1]!}
            ]
          }
        ]
      },
      {lang: 'fr', marker: true}
    )
    expect(html).toBe('<p>Translated sentence. <span lang="fr" class="fallback fallback-marked">Voir <a href="https://www.iom.int">le site</a>.</span></p>')
  })
})
