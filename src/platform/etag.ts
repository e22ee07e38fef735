// Optimistic concurrency, an extension neither vendor has: a user's ETag is its row version, and If-Match
// (RFC 9110 §13.1.1) makes a write land only on the version the client last saw. Never required: without
// If-Match a write behaves as the vendors' does. Hand-written: npm's ETag libraries (etag, fresh,
// @fastify/etag) hash bodies and serve If-None-Match on GET; none parses If-Match.
import { ApiError } from './errors.js'

/** A strong, opaque entity tag (RFC 9110 §8.8.3) for a row version. */
export function etag (version: number): string {
  return `"${version}"`
}

const ENTITY_TAG = /(W\/)?"([^"]*)"/g
const VERSION = /^[1-9]\d{0,9}$/
const MAX_VERSION = 2 ** 31 - 1 // an INTEGER column: a larger tag is none of ours

/**
 * The versions a write must find, from If-Match; undefined when any will do: no If-Match, or `*`, which asks
 * only that the user exist (and an unknown user answers as without preconditions, RFC 9110 §13.1). The header
 * has passed the spec's grammar (a malformed one answers 400); a weak tag never matches (strong comparison,
 * §8.8.3.2), nor does a tag that no version of ours could have: an empty list, then, matches nothing.
 */
export function readIfMatch (header: string | undefined): readonly number[] | undefined {
  if (header === undefined || header.trim() === '*') return undefined
  return [...header.matchAll(ENTITY_TAG)]
    .filter(([, weak, opaque]) => weak === undefined && VERSION.test(opaque!) && Number(opaque) <= MAX_VERSION)
    .map(([, , opaque]) => Number(opaque))
}

export const preconditionFailed = () =>
  new ApiError('precondition_failed', 'If-Match does not name the current version of the user.')

/**
 * Why a write that matched no row failed: no such user in the tenant, answered as without If-Match; only when
 * If-Match named versions and the user is there, another version (412).
 */
export async function writeRefused (
  versions: readonly number[] | undefined,
  exists: () => Promise<boolean>,
  notFound: () => ApiError
): Promise<never> {
  throw versions !== undefined && await exists() ? preconditionFailed() : notFound()
}
