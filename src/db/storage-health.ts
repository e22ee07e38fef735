// Whether the database takes writes. A full disk or a read-only database still answers reads and pings, so
// only the writes that fail show it: each is noted here, and readiness reports the database unwritable until
// a few seconds pass without another.
import { isStorageFailure } from './errors.js'

/** As long as the Retry-After of the 503 such a write answers. */
const HOLD_MS = 5_000

export class StorageHealth {
  #lastFailure = -Infinity

  constructor (private readonly now: () => number = () => performance.now()) {}

  /** Notes a failed statement's error, if it failed for want of storage. */
  note (error: unknown): void {
    if (isStorageFailure(error)) this.#lastFailure = this.now()
  }

  /** A write failed for want of storage in the last few seconds. */
  get failing (): boolean {
    return this.now() - this.#lastFailure < HOLD_MS
  }
}
