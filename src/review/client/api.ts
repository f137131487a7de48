/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Calls to the review API. State-changing requests carry the page's CSRF
// secret (from its meta tag) and the reviewer's name.
import type {ApiError, ConflictResponse} from '../wire.ts'

const csrf = document.querySelector('meta[name="passerelle-csrf"]')?.getAttribute('content') ?? ''
const reviewerKey = 'passerelle.reviewer'

export class ApiFailure extends Error {
  readonly status: number
  readonly body: ApiError & Partial<ConflictResponse>
  constructor(status: number, body: ApiError & Partial<ConflictResponse>) {
    super(body.error.message)
    this.status = status
    this.body = body
  }
}

export function reviewerName(): string {
  try {
    return localStorage.getItem(reviewerKey) ?? ''
  } catch {
    return ''
  }
}

export function setReviewerName(name: string): void {
  try {
    localStorage.setItem(reviewerKey, name.trim())
  } catch {
    // Private mode: the server's default name is used.
  }
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {Accept: 'application/json'}
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json'
    headers['X-Passerelle-Csrf'] = csrf
    const name = reviewerName()
    if (name) headers['X-Passerelle-Reviewer'] = encodeURIComponent(name)
  }
  const response = await fetch(path, {method, headers, credentials: 'same-origin', ...(body === undefined ? {} : {body: JSON.stringify(body)})})
  const data = (await response.json().catch(() => ({error: {code: 'E_INTERNAL', message: `HTTP ${response.status}`}}))) as unknown
  // Team mode: a session that ended (signed out elsewhere, expired, account disabled) goes back to sign-in.
  if (response.status === 401 && (data as ApiError).error?.code === 'E_SESSION') location.assign('/signin')
  if (!response.ok) throw new ApiFailure(response.status, data as ApiError & Partial<ConflictResponse>)
  return data as T
}

/** `/api/articles/en/my-slug` with each part URI-encoded. */
export function path(...parts: string[]): string {
  return '/api/' + parts.map(encodeURIComponent).join('/')
}
