// Content ids. A segment's hash depends only on its text, so the same
// sentence gets the same id in every article and wherever it stands; the
// translation memory and the bundles key on it.
import {hash} from 'node:crypto'

/** NFC, whitespace runs (incl. no-break spaces and line breaks) collapsed to one space, trimmed. */
export function normalizeForHash(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim()
}

/**
 * First 12 hex characters of the SHA-256 of the normalised text. The one-shot
 * `hash` (Node ≥ 20.12): `createHash` looks the algorithm up in OpenSSL 3 on
 * every call, about 70 µs each, 30 times the hashing itself for a sentence.
 */
export function hashText(text: string): string {
  return hash('sha256', normalizeForHash(text), 'hex').slice(0, 12)
}

/**
 * Gives `hash` the first time, then `hash-2`, `hash-3`… for repeats within
 * one article, in document order.
 */
export function createIdAllocator(): (hash: string) => string {
  const seen = new Map<string, number>()
  return (hash) => {
    const count = (seen.get(hash) ?? 0) + 1
    seen.set(hash, count)
    return count === 1 ? hash : `${hash}-${count}`
  }
}
