// Ids and secrets. API keys and tokens carry 128+ bits of randomness, so a fast hash is the right
// store for them (a slow KDF would only add latency); passwords get argon2id in the Plaspy service.
import { createHash, randomBytes } from 'node:crypto'

/** A 24-hex id shaped like a MongoDB ObjectId (seconds since the epoch, then randomness), as Roam's ids are. */
export function objectId (now = Date.now()): string {
  const seconds = Math.floor(now / 1000).toString(16).padStart(8, '0')
  return seconds + randomBytes(8).toString('hex')
}

/** A random id with a prefix, e.g. `usr-5f2a9c1e7b3d4a60`. */
export function prefixedId (prefix: string): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`
}

/** A new secret of `bytes` random bytes, as hex or base64url. */
export function newSecret (bytes: number, encoding: 'hex' | 'base64url'): string {
  return randomBytes(bytes).toString(encoding)
}

/** How a secret is stored and looked up. */
export function secretHash (secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
