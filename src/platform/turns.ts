// Turns at something a tenant may not do many times at once: a few run, a short line waits, and past the line the
// answer is the dialect's 429. Plaspy's streamed list is the case: each one being sent keeps about 2 MB live (its
// batch of rows, the strings on their way out), so lists opened in parallel by one account grew the server without
// bound (60 at once: 790 MB; under a 150 MB heap limit, out of memory). Waiting costs a request only its socket.
// Written by hand: p-limit and its kin run a function to its end, and a list's turn ends when its body closes.
import { rateLimited } from './errors.js'

export interface TurnLimits {
  /** How many run at once for one key. */
  running: number
  /** How many more wait for their turn, in order of arrival; one more is refused. */
  waiting: number
}

interface Line { running: number, waiting: Array<() => void> }

export class Turns {
  readonly #lines = new Map<string, Line>()
  constructor (private readonly limits: TurnLimits) {}

  /**
   * Resolves when `key` has a turn, with the function that ends it (once; later calls do nothing). Throws a
   * `rate_limited` ApiError when the key's line is full.
   */
  async take (key: string): Promise<() => void> {
    let line = this.#lines.get(key)
    if (line === undefined) this.#lines.set(key, line = { running: 0, waiting: [] })
    if (line.running < this.limits.running) line.running++
    else if (line.waiting.length < this.limits.waiting) await new Promise<void>((resolve) => line.waiting.push(resolve))
    else throw rateLimited(1)
    let ended = false
    return () => {
      if (ended) return
      ended = true
      this.#pass(key, line)
    }
  }

  /** Keys with a turn running or waiting (a key whose turns have all ended is forgotten). */
  get size (): number {
    return this.#lines.size
  }

  /** A turn ended: the next in line runs in its place, or the line shrinks (and goes, once empty). */
  #pass (key: string, line: Line): void {
    const next = line.waiting.shift()
    if (next !== undefined) next()
    else if (--line.running === 0) this.#lines.delete(key)
  }
}
