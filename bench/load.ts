// One bounded load run with autocannon: a warm-up (JIT, statement caches, pools), then the measured seconds.
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

export async function measure (url: string, requests: BenchRequest[], connections: number, seconds: number): Promise<Measurement> {
  let next = 0
  const run = (duration: number) => autocannon({
    url,
    connections,
    duration,
    timeout: 10,
    // One shared counter: consecutive requests, from whichever connection, address different users.
    requests: [{ setupRequest: (request) => ({ ...request, ...requests[next++ % requests.length] }) }]
  })
  await run(1) // warm-up, not counted
  const result = await run(seconds)
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts
  }
}
