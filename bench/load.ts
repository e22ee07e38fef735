// Bounded load runs with autocannon. The servers compared in a cell take turns, a slice of the measured seconds
// at a time, after a warm-up each (JIT, statement caches, pools): on a shared machine a slow spell then falls on
// all of them alike, instead of on whichever happened to run during it.
import autocannon from 'autocannon'
import type { BenchRequest } from './targets.js'

export interface Measurement {
  rps: number
  p50: number
  p99: number
  requests: number
  non2xx: number
  /** Connection errors and timeouts. */
  errors: number
}

/** Turns taken by each server in a cell: the measured seconds are split among them. */
export const SLICES = 3

/**
 * Loads each of `urls` for `seconds` in all, in SLICES turns taken in order; answers one measurement per URL:
 * requests per second over all its turns, the median turn's latency percentiles, and every failure.
 */
export async function measureInTurns (urls: string[], requests: BenchRequest[], connections: number, seconds: number): Promise<Measurement[]> {
  for (const url of urls) await load(url, requests, connections, 1) // warm-up, not counted
  const turns = urls.map((): autocannon.Result[] => [])
  for (let slice = 0; slice < SLICES; slice++) {
    for (const [i, url] of urls.entries()) turns[i]!.push(await load(url, requests, connections, seconds / SLICES))
  }
  return turns.map(combined)
}

function load (url: string, requests: BenchRequest[], connections: number, duration: number): Promise<autocannon.Result> {
  let next = 0
  return autocannon({
    url,
    connections,
    duration,
    timeout: 10,
    // One shared counter: consecutive requests, from whichever connection, address different users.
    requests: [{ setupRequest: (request) => ({ ...request, ...requests[next++ % requests.length] }) }]
  })
}

function combined (turns: autocannon.Result[]): Measurement {
  const sum = (value: (turn: autocannon.Result) => number) => turns.reduce((total, turn) => total + value(turn), 0)
  const median = (value: (turn: autocannon.Result) => number) => turns.map(value).sort((a, b) => a - b)[Math.floor(turns.length / 2)]!
  return {
    rps: sum((turn) => turn.requests.total) / sum((turn) => turn.duration),
    p50: median((turn) => turn.latency.p50),
    p99: median((turn) => turn.latency.p99),
    requests: sum((turn) => turn.requests.total),
    non2xx: sum((turn) => turn.non2xx),
    errors: sum((turn) => turn.errors + turn.timeouts)
  }
}
