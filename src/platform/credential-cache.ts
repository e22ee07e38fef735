// A bounded cache of credential hash -> principal, so that authentication costs no database round trip.
// Correct only with immediate invalidation: every credential change, in this process or another, drops the
// whole cache before the next request reads it (see src/db/credential-changes.ts). Only valid credentials
// are cached, so unknown or revoked ones never crowd out the good ones.
import { LRUCache } from 'lru-cache'
import type { CredentialChanges } from '../db/credential-changes.js'

export const CREDENTIAL_CACHE_SIZE = 10_000

export class CredentialCache<P extends object> {
  readonly #entries = new LRUCache<string, P>({ max: CREDENTIAL_CACHE_SIZE })
  /** Moves on every drop: a lookup that began before it must not store what it read. */
  #generation = 0

  constructor (private readonly changes: CredentialChanges) {
    changes.subscribe(() => this.clear())
  }

  /** The principal of `hash`, from the cache or from `load` (undefined: not a valid credential). */
  async lookup (hash: string, load: (hash: string) => Promise<P | undefined>): Promise<P | undefined> {
    const watching = this.changes.watching() // may drop the cache first
    const cached = watching ? this.#entries.get(hash) : undefined
    if (cached !== undefined) return cached
    const generation = this.#generation
    const loaded = await load(hash)
    // watching() first: it may drop the cache, which must then also refuse this entry.
    if (loaded !== undefined && this.changes.watching() && generation === this.#generation) this.#entries.set(hash, loaded)
    return loaded
  }

  clear (): void {
    this.#generation++
    this.#entries.clear()
  }
}
