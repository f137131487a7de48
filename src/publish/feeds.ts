// sitemap.xml (with xhtml:link language alternates) and one Atom feed per
// locale. Both need absolute URLs, so they exist only with `publish.baseUrl`.
import {writeXml, type XmlOut} from '../exchange/xml.ts'
import {isoDay} from './intl.ts'

export interface SitemapPage {
  url: string
  /** hreflang → absolute URL, the page's own language included, plus `x-default`. */
  alternates: [string, string][]
}

export function sitemapXml(pages: SitemapPage[]): string {
  const root: XmlOut = {
    name: 'urlset',
    attributes: [
      ['xmlns', 'http://www.sitemaps.org/schemas/sitemap/0.9'],
      ['xmlns:xhtml', 'http://www.w3.org/1999/xhtml']
    ],
    children: pages.map((page) => ({
      name: 'url',
      children: [
        {name: 'loc', children: [page.url]},
        ...page.alternates.map(([hreflang, href]): XmlOut => ({
          name: 'xhtml:link',
          attributes: [
            ['rel', 'alternate'],
            ['hreflang', hreflang],
            ['href', href]
          ]
        }))
      ]
    }))
  }
  return writeXml(root, 'E_INPUT')
}

export interface FeedEntry {
  title: string
  url: string
  date?: Date
  lang: string
}

export interface Feed {
  title: string
  lang: string
  /** The feed's own absolute URL. */
  self: string
  /** The locale index page. */
  home: string
  author: string
  entries: FeedEntry[]
  /** When no entry has a date. */
  now: Date
}

/** Atom 1.0 (RFC 4287); entries newest first, as given. */
export function atomFeed(feed: Feed): string {
  const dated = feed.entries.map((entry) => entry.date).filter((date): date is Date => date !== undefined)
  const updated = dated.length > 0 ? new Date(Math.max(...dated.map((date) => date.getTime()))) : feed.now
  const stamp = (date: Date) => `${isoDay(date)}T00:00:00Z`
  const root: XmlOut = {
    name: 'feed',
    attributes: [
      ['xmlns', 'http://www.w3.org/2005/Atom'],
      ['xml:lang', feed.lang]
    ],
    children: [
      {name: 'id', children: [feed.home]},
      {name: 'title', children: [feed.title]},
      {name: 'updated', children: [stamp(updated)]},
      {name: 'author', children: [{name: 'name', children: [feed.author]}]},
      {name: 'link', attributes: [['rel', 'self'], ['type', 'application/atom+xml'], ['href', feed.self]]},
      {name: 'link', attributes: [['rel', 'alternate'], ['type', 'text/html'], ['href', feed.home]]},
      ...feed.entries.map(
        (entry): XmlOut => ({
          name: 'entry',
          attributes: entry.lang === feed.lang ? [] : [['xml:lang', entry.lang]],
          children: [
            {name: 'id', children: [entry.url]},
            {name: 'title', children: [entry.title]},
            {name: 'updated', children: [stamp(entry.date ?? updated)]},
            {name: 'link', attributes: [['rel', 'alternate'], ['type', 'text/html'], ['href', entry.url]]}
          ]
        })
      )
    ]
  }
  return writeXml(root, 'E_INPUT')
}
