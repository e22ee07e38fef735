// `npm run bench`: the app against its raw-driver limit, on SQLite and on Postgres, with a Prism mock of
// openapi.yaml as a peer. Every server is a child process on loopback; every load run is bounded in time.
// On a shared 2-core machine (the load generator runs in this process, beside the servers) absolute numbers
// drift between runs, so each app run is measured right beside its baseline run and reported as a ratio.
//
// Environment: BENCH_SECONDS (measured seconds per server and cell, 5, taken in turns: load.ts), BENCH_DATABASES (sqlite,postgres),
// BENCH_ENDPOINTS (operation ids, default all), BENCH_POSTGRES_URL, BENCH_CPU_PROF (a directory: the app
// and the baseline each write a V8 CPU profile there when they stop, to compare where each spends), BENCH_SCALE (0 skips the scale phase, scale.ts),
// BENCH_SCALE_ROAM and BENCH_SCALE_PLASPY (its sizes: 1,000,000 and 200,000).
import { writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { npmStartArgs } from '../src/platform/package-root.js'
import { createCredentials, createDatabase, seedUsers, send, serverUrl, type DatabaseKind } from './fixture.js'
import { measureInTurns, type Measurement } from './load.js'
import { cleanUp, onCleanup, startServer, type Server } from './processes.js'
import { measurePlaspyStream, measureRoamList, PLASPY_USERS, ROAM_USERS, seedAtScale, type ListCell, type StreamResult } from './scale.js'
import { endpoints, type BenchRequest, type Endpoint } from './targets.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',') as DatabaseKind[]
const ENDPOINTS = endpoints.filter(({ operation }) => process.env.BENCH_ENDPOINTS?.split(',').includes(operation) ?? true)
const CPU_PROF = process.env.BENCH_CPU_PROF
const SCALE = process.env.BENCH_SCALE !== '0'
const CONNECTIONS = [10, 50]
const USERS = 100

type Target = 'app' | 'baseline' | 'prism'

interface Result extends Partial<Measurement> {
  target: Target
  db: DatabaseKind | '-'
  endpoint: string
  connections: number
  peakRssMb?: number
  /** app req/s over baseline req/s, same endpoint, database and connections. */
  ratio?: number
  note?: string
}

if (!(SECONDS > 0 && SECONDS <= 60)) throw new Error('BENCH_SECONDS must be a number of seconds from 1 to 60')
/** BENCH_APP_FLAGS: node flags for the app's process only (e.g. --max-semi-space-size=4), to measure V8 settings. */
const APP_NODE_FLAGS = (process.env.BENCH_APP_FLAGS ?? '').split(' ').filter(Boolean)
for (const kind of DATABASES) if (kind !== 'sqlite' && kind !== 'postgres') throw new Error(`BENCH_DATABASES: unknown database "${kind}"`)

const results: Result[] = []

interface ScaleResult {
  db: DatabaseKind
  roamUsers: number
  plaspyUsers: number
  seedSeconds: number
  roamList: ListCell[]
  plaspyStream: StreamResult
}
const scale: ScaleResult[] = []
const tsx = (file: string) => ['--import', 'tsx', join(ROOT, file)]

const loadAtStart = loadavg()[0]!

async function main (): Promise<void> {
  const started = Date.now()
  console.log(`load average at start: ${loadAtStart.toFixed(2)} (${cpus().length} cores)`)
  // The mock stores nothing, so it is measured once, in the first database's phase, beside the app's Roam PUT.
  const prism = ENDPOINTS.some((endpoint) => endpoint.prism)
    ? await startServer('prism', [join(ROOT, 'node_modules/@stoplight/prism-cli/dist/index.js'), 'mock', join(ROOT, 'openapi.yaml'), '-h', '127.0.0.1', '-p', '{port}', '-v', 'warn'])
    : undefined
  for (const [index, kind] of DATABASES.entries()) await databasePhase(kind, index === 0 ? prism : undefined)
  await prism?.stop()
  if (SCALE) for (const kind of DATABASES) await scalePhase(kind)
  console.log(`\nfinished in ${Math.round((Date.now() - started) / 1000)} s`)
}

async function databasePhase (kind: DatabaseKind, prism: Server | undefined): Promise<void> {
  console.log(`\n== ${kind}`)
  const database = await createDatabase(kind)
  onCleanup(database.drop)
  const credentials = await createCredentials(database.url)
  const env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn' }
  const profile = CPU_PROF === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(CPU_PROF)}`]
  // The app's rate limit guards against runaway clients; a benchmark is one by design, so it is lifted (its
  // per-request cost stays in the numbers).
  // The app as production runs it: compiled (`npm run bench` builds first), no TypeScript loader, with `npm start`'s
  // V8 settings (the baseline runs with node's defaults).
  const app = await startServer('app', [...profile, ...APP_NODE_FLAGS, ...npmStartArgs()],
    { ...env, DATABASE_URL: await serverUrl(kind, database.url), RATE_LIMIT_MAX: '1000000000' })
  let baseline: Server | undefined
  try {
    const fixture = await seedUsers(app.url, credentials, USERS)
    baseline = await startServer('baseline', [...profile, ...tsx('bench/baseline/server.ts')], env)
    for (const endpoint of ENDPOINTS) {
      const requests = Array.from({ length: USERS }, (_, i) => endpoint.request(fixture, i))
      // The baseline implements every endpoint: its 2xx proves the request right, so an app 404 means a missing route.
      await probe(baseline, endpoint, requests[0]!)
      const missing = await probe(app, endpoint, requests[0]!)
      const peers: Array<[Target, Server]> = [['app', app], ['baseline', baseline]]
      if (endpoint.prism && prism !== undefined) {
        await probe(prism, endpoint, requests[0]!)
        peers.push(['prism', prism])
      }
      const measured = peers.filter(([target]) => target !== 'app' || missing === undefined)
      for (const connections of CONNECTIONS) {
        if (missing !== undefined) results.push({ endpoint: endpoint.name, connections, target: 'app', db: kind, note: missing })
        for (const [, server] of measured) server.resetPeakRss()
        const loads = await measureInTurns(measured.map(([, server]) => server.url), requests, connections, SECONDS)
        const cell = measured.map(([target, server], i): Result => ({
          endpoint: endpoint.name, connections, target, db: target === 'prism' ? '-' : kind, ...loads[i], peakRssMb: server.peakRssMb()
        }))
        const ours = cell.find((result) => result.target === 'app')
        const limit = cell.find((result) => result.target === 'baseline')
        if (ours?.rps !== undefined && limit?.rps) ours.ratio = ours.rps / limit.rps
        for (const result of cell) report(result)
        results.push(...cell)
      }
    }
  } finally {
    // Gracefully: the app writes its CPU profile on a clean exit.
    await app.stop()
    await baseline?.stop()
  }
}

/** Issue 13's targets 1 and 2: one tenant of each dialect at scale, measured one request at a time. */
async function scalePhase (kind: DatabaseKind): Promise<void> {
  console.log(`\n== ${kind} at scale: ${ROAM_USERS} Roam users in one project, ${PLASPY_USERS} Plaspy users in one account`)
  const database = await createDatabase(kind)
  onCleanup(database.drop)
  const credentials = await createCredentials(database.url)
  const seedStarted = Date.now()
  const seeded = await seedAtScale(kind, database.url)
  const seedSeconds = (Date.now() - seedStarted) / 1000
  console.log(`seeded in ${seedSeconds.toFixed(1)} s`)
  const app = await startServer('app', npmStartArgs(),
    { DATABASE_URL: await serverUrl(kind, database.url), LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '1000000000' })
  try {
    const { plaspyToken } = await seedUsers(app.url, credentials, 0)
    const roamList = await measureRoamList(app, credentials.roamKey, seeded)
    for (const c of roamList) console.log(`roam list ${c.query.padEnd(62)} page ${String(c.page).padEnd(6)} median ${fixed(c.medianMs, 1)} ms  max ${fixed(c.maxMs, 1)} ms  pages ${c.pages}${c.pages === c.expectedPages ? '' : ` !! expected ${c.expectedPages}`}`)
    const plaspyStream = await measurePlaspyStream(app, plaspyToken, credentials.roamKey)
    const s = plaspyStream
    console.log(`plaspy list of ${s.users} users (${s.validJson ? 'valid JSON' : '!! not JSON'}) in ${fixed(s.seconds, 1)} s: RSS +${fixed(s.rssGrowthMb, 0)} MB, neighbour's slowest read ${fixed(s.neighbourMaxMs, 1)} ms; a stalled reader: RSS +${fixed(s.stalledRssGrowthMb, 0)} MB`)
    scale.push({ db: kind, roamUsers: ROAM_USERS, plaspyUsers: PLASPY_USERS, seedSeconds, roamList, plaspyStream })
  } finally {
    await app.stop()
  }
}

/**
 * One request before the load. A target that answers 404/405/501 lacks the endpoint (the reason is returned);
 * any other non-2xx means the harness sends a wrong request, which would make every number meaningless.
 */
async function probe (server: Server, endpoint: Endpoint, request: BenchRequest): Promise<string | undefined> {
  const { status, text } = await send(server.url, request)
  if (status >= 200 && status < 300) return undefined
  if (server.name === 'app' && [404, 405, 501].includes(status)) return `not implemented (${status})`
  throw new Error(`harness: ${server.name} answered ${endpoint.name} with ${status}: ${text.slice(0, 300)}`)
}

function report (r: Result): void {
  const warn = (r.non2xx ?? 0) + (r.errors ?? 0) > 0 ? `  !! ${r.non2xx} non-2xx, ${r.errors} errors` : ''
  console.log(`${r.target.padEnd(8)} ${r.endpoint.padEnd(16)} c=${String(r.connections).padEnd(3)} ${fixed(r.rps, 0).padStart(6)} req/s  p99 ${fixed(r.p99, 1)} ms${warn}`)
}

const fixed = (value: number | undefined, digits: number) => value === undefined ? '-' : value.toFixed(digits)

function table (): string {
  const head = ['target', 'db', 'endpoint', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'peak RSS MB', 'ratio']
  const lines = results.map((r) => [
    r.target, r.db, r.endpoint, String(r.connections), r.note ?? fixed(r.rps, 0), fixed(r.p50, 1), fixed(r.p99, 1),
    r.non2xx === undefined ? '-' : String(r.non2xx), r.errors === undefined ? '-' : String(r.errors), fixed(r.peakRssMb, 0), fixed(r.ratio, 2)
  ])
  const widths = head.map((_, c) => Math.max(...[head, ...lines].map((line) => line[c]!.length)))
  const format = (line: string[]) => `| ${line.map((cell, c) => c >= 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)).join(' | ')} |`
  return [format(head), `|${widths.map((w, c) => c >= 3 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2)).join('|')}|`, ...lines.map(format)].join('\n')
}

/** Issue 6's targets, judged on this run's app rows, and issue 13's at scale. */
/** Issue 13's targets 3 and 4, for the throughput cells of this run. */
function targets (): Array<{ target: string, met: boolean, detail: string }> {
  const app = results.filter((r) => r.target === 'app' && r.rps !== undefined)
  const failing = (list: Result[]) => list.map((r) => `${r.db} ${r.endpoint} c=${r.connections}`).join(', ') || 'none'
  const baselineOf = (r: Result) => results.find((b) => b.target === 'baseline' && b.db === r.db && b.endpoint === r.endpoint && b.connections === r.connections)
  const lowRatio = app.filter((r) => (r.ratio ?? 0) < 0.8)
  const slow = app.filter((r) => r.connections === 10 && r.p99! > 1.25 * (baselineOf(r)?.p99 ?? Infinity))
  const big = app.filter((r) => (r.peakRssMb ?? 0) > 150)
  const versusPrism = CONNECTIONS.flatMap((connections) => {
    const find = (target: Target, db: Result['db']) => results.find((r) => r.target === target && r.db === db && r.endpoint === 'roam PUT user' && r.connections === connections)
    const ours = find('app', 'sqlite')
    const mock = find('prism', '-')
    return ours?.rps !== undefined && mock?.rps !== undefined ? [{ connections, ours: ours.rps, mock: mock.rps }] : []
  })
  const throughput = app.length === 0
    ? []
    : [
        { target: 'every cell >= 0.8 of its baseline', met: lowRatio.length === 0, detail: `below: ${failing(lowRatio)}` },
        { target: 'p99 at 10 connections <= 1.25x the baseline\'s', met: slow.length === 0, detail: `above: ${failing(slow)}` },
        { target: 'Roam PUT on SQLite >= 20% ahead of Prism', met: versusPrism.length > 0 && versusPrism.every((v) => v.ours >= 1.2 * v.mock), detail: versusPrism.map((v) => `c=${v.connections}: ${v.ours.toFixed(0)} vs ${v.mock.toFixed(0)} req/s`).join(', ') || 'not measured' },
        { target: 'peak RSS <= 150 MB', met: big.length === 0, detail: `above: ${failing(big)}` }
      ]
  return [...throughput, ...scaleTargets()]
}

function scaleTargets (): Array<{ target: string, met: boolean, detail: string }> {
  if (scale.length === 0) return []
  const cells = scale.flatMap(({ db, roamList }) => roamList.map((cell) => ({ db, ...cell })))
  const name = (c: typeof cells[number]) => `${c.db} ${c.query} page ${c.page}`
  const slow = cells.filter((c) => c.medianMs > 50)
  const wrong = cells.filter((c) => c.pages !== c.expectedPages)
  const streams = scale.map(({ db, plaspyUsers, plaspyStream: s }) => ({ db, ok: s.validJson && s.users === plaspyUsers + 1, ...s }))
  const each = (pick: (s: typeof streams[number]) => string) => streams.map((s) => `${s.db}: ${pick(s)}`).join(', ')
  return [
    { target: `Roam list of ${ROAM_USERS} users: page 1 and 50,000 <= 50 ms (median)`, met: slow.length === 0, detail: `above: ${slow.map((c) => `${name(c)} ${c.medianMs.toFixed(0)} ms`).join(', ') || 'none'}` },
    { target: 'Roam list: pages exact', met: wrong.length === 0, detail: `wrong: ${wrong.map(name).join(', ') || 'none'}` },
    { target: `Plaspy list of ${PLASPY_USERS} users: complete, valid JSON`, met: streams.every((s) => s.ok), detail: each((s) => `${s.users} users`) },
    { target: 'Plaspy list: server RSS +<= 60 MB while sent, and for a stalled reader', met: streams.every((s) => s.rssGrowthMb <= 60 && s.stalledRssGrowthMb <= 60), detail: each((s) => `+${s.rssGrowthMb.toFixed(0)} / +${s.stalledRssGrowthMb.toFixed(0)} MB`) },
    { target: 'Plaspy list: a neighbour waits <= 100 ms', met: streams.every((s) => s.neighbourMaxMs <= 100), detail: each((s) => `${s.neighbourMaxMs.toFixed(0)} ms`) }
  ]
}

let failure: unknown
try {
  await main()
} catch (error) {
  failure = error
} finally {
  await cleanUp()
}

if (results.length + scale.length > 0) {
  const judged = targets()
  console.log(`\n${table()}\n`)
  for (const { target, met, detail } of judged) console.log(`${met ? 'met    ' : 'MISSED '} ${target} (${detail})`)
  await writeFile(join(ROOT, 'bench/results.json'), JSON.stringify({
    date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadAtStart, seconds: SECONDS, users: USERS, targets: judged, results, scale
  }, null, 2) + '\n')
  console.log('\nwritten: bench/results.json')
}
const broken = results.filter((r) => (r.non2xx ?? 0) + (r.errors ?? 0) > 0 || r.requests === 0)
if (broken.length > 0) console.error(`\nharness: ${broken.length} run(s) had non-2xx answers, errors or no requests: the numbers are not to be trusted`)
if (failure !== undefined) console.error('\nbench failed:', failure)
process.exitCode = failure !== undefined || broken.length > 0 ? 1 : 0
