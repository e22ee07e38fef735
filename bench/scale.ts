// The scale phase of `npm run bench` (issue 13, targets 1 and 2): one Roam project of 1,000,000 users and one
// Plaspy account of 200,000, seeded in bulk by SQL (the API would take an hour), then the Roam list measured at
// its first and a middle page, and the Plaspy list measured while it streams: the server's memory, a neighbour's
// wait, and a client that stops reading. Each server is the compiled app, in its own process.
import { request as httpRequest } from 'node:http'
import { readFileSync } from 'node:fs'
import Sqlite from 'better-sqlite3'
import pg from 'pg'
import { POSTGRES_URL, send, type DatabaseKind } from './fixture.js'
import type { Server } from './processes.js'

export const ROAM_USERS = Number(process.env.BENCH_SCALE_ROAM ?? 1_000_000)
export const PLASPY_USERS = Number(process.env.BENCH_SCALE_PLASPY ?? 200_000)
const SPACING_SECONDS = 4 // between two Roam users' creation: a million span 46 days
const SAMPLES = 15 // requests per list cell; the median is reported

/** The project of the bench's Roam key and the account of its Plaspy login (fixture.ts makes one of each). */
interface ScaleTenants {
  roamProjectId: string
  plaspyAccountId: string
}
const TENANTS_SQL = `SELECT (SELECT project_id FROM roam_api_keys) AS "roamProjectId",
  (SELECT account_id FROM plaspy_users WHERE user_name = 'bench') AS "plaspyAccountId"`

/** Where the bulk users were put, for the requests that read them. */
interface Seeded {
  groupId: string
  /** Now, rounded: the newest Roam user was created one spacing before it. */
  until: Date
}

export interface ListCell {
  query: string
  page: number
  medianMs: number
  maxMs: number
  pages: number
  /** `pages` as the database's own count says it must be. */
  expectedPages: number
}

export interface StreamResult {
  users: number
  validJson: boolean
  seconds: number
  rssGrowthMb: number
  /** The slowest of a neighbour's reads sent one after another while the list streamed. */
  neighbourMaxMs: number
  /** A client that reads the first chunk, then stops reading for a few seconds. */
  stalledRssGrowthMb: number
}

// ---------------------------------------------------------------------------------------------------------------
// Seeding: one INSERT … SELECT per table over a generated series, so the database does all of it.

export async function seedAtScale (kind: DatabaseKind, url: string): Promise<Seeded> {
  const until = new Date(Math.floor(Date.now() / 1000) * 1000)
  const groupId = 'a0a0a0a0a0a0a0a0a0a0a0a0'
  if (kind === 'sqlite') seedSqlite(url, groupId, until)
  else await seedPostgres(url, groupId, until)
  return { groupId, until }
}

function seedSqlite (url: string, groupId: string, until: Date): void {
  const db = new Sqlite(url.slice('file:'.length))
  try {
    const { roamProjectId, plaspyAccountId } = db.prepare(TENANTS_SQL).get() as ScaleTenants
    db.pragma('journal_mode = WAL')
    const at = `'${until.toISOString().slice(0, 19)}'`
    const stamp = (seconds: string) => `strftime('%Y-%m-%dT%H:%M:%f+00:00', ${at}, '-' || (${seconds}) || ' seconds')`
    const series = (count: number) => `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})`
    db.transaction(() => {
      db.prepare('INSERT INTO roam_groups (id, project_id, created_at, updated_at) VALUES (?, ?, ?, ?)')
        .run(groupId, roamProjectId, until.toISOString().replace('Z', '+00:00'), until.toISOString().replace('Z', '+00:00'))
      // Every other user is in the group; one in fifty is deleted, as the list must skip them.
      db.prepare(`${series(ROAM_USERS)}
        INSERT INTO roam_users (id, project_id, app_type, device_token, group_id, is_deleted, created_at, updated_at)
        SELECT printf('b%023x', i), ?, 1 + i % 2, 'scale-' || i, CASE WHEN i % 2 = 0 THEN ? END, i % 50 = 0,
          ${stamp(`i * ${SPACING_SECONDS}`)}, ${stamp(`i * ${SPACING_SECONDS}`)} FROM n`).run(roamProjectId, groupId)
      db.prepare(`${series(PLASPY_USERS)}
        INSERT INTO plaspy_users (id, account_id, name, email, country, time_zone, privileges, tags, creation, modification)
        SELECT 'usr-scale-' || i, ?, 'Scale User ' || i, 'scale-user-' || i || '@example.com', 'US', 'UTC', '["read"]',
          '{"fleet":"north"}', ${stamp('i')}, ${stamp('i')} FROM n`).run(plaspyAccountId)
    })()
    db.exec('ANALYZE')
  } finally {
    db.close()
  }
}

async function seedPostgres (url: string, groupId: string, until: Date): Promise<void> {
  const schema = new URL(url).searchParams.get('schema')!
  const db = new pg.Client({ connectionString: POSTGRES_URL })
  await db.connect()
  try {
    await db.query(`SET search_path TO "${schema}"`)
    const { rows: [{ roamProjectId, plaspyAccountId }] } = await db.query<ScaleTenants>(TENANTS_SQL)
    const at = until.toISOString()
    await db.query('BEGIN')
    await db.query('INSERT INTO roam_groups (id, project_id, created_at, updated_at) VALUES ($1, $2, $3, $3)', [groupId, roamProjectId, at.slice(0, 23)])
    await db.query(`INSERT INTO roam_users (id, project_id, app_type, device_token, group_id, is_deleted, created_at, updated_at)
      SELECT 'b' || lpad(to_hex(i), 23, '0'), $1, 1 + i % 2, 'scale-' || i, CASE WHEN i % 2 = 0 THEN $2 END, i % 50 = 0,
        $3::timestamptz AT TIME ZONE 'UTC' - i * interval '${SPACING_SECONDS} seconds', $3::timestamptz AT TIME ZONE 'UTC' - i * interval '${SPACING_SECONDS} seconds'
      FROM generate_series(1, ${ROAM_USERS}) i`, [roamProjectId, groupId, at])
    await db.query(`INSERT INTO plaspy_users (id, account_id, name, email, country, time_zone, privileges, tags, creation, modification)
      SELECT 'usr-scale-' || i, $1, 'Scale User ' || i, 'scale-user-' || i || '@example.com', 'US', 'UTC', '["read"]',
        '{"fleet":"north"}', $2::timestamptz AT TIME ZONE 'UTC' - i * interval '1 second', $2::timestamptz AT TIME ZONE 'UTC' - i * interval '1 second'
      FROM generate_series(1, ${PLASPY_USERS}) i`, [plaspyAccountId, at])
    await db.query('COMMIT')
    await db.query('VACUUM ANALYZE roam_users')
    await db.query('VACUUM ANALYZE plaspy_users')
  } finally {
    await db.end()
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Target 1: the Roam list at page 1 and page 50,000, for each kind of query a client sends.

export async function measureRoamList (app: Server, roamKey: string, seeded: Seeded): Promise<ListCell[]> {
  const day = (daysBefore: number) => new Date(seeded.until.getTime() - daysBefore * 86_400_000).toISOString().slice(0, 10)
  const spanDays = Math.ceil(ROAM_USERS * SPACING_SECONDS / 86_400)
  // Days that cut off both ends of the seeded span, yet hold more than 50,000 pages of a million users.
  const range = `start_date=${day(spanDays - 1)}&end_date=${day(1)}`
  const queries = [
    { query: '', matches: (i: number) => i > 0 },
    { query: range, matches: inDays(seeded.until, day(spanDays - 1), day(1), 'UTC') },
    { query: `group_id=${seeded.groupId}`, matches: (i: number) => i % 2 === 0 },
    { query: `${range}&timezone_offset=Asia/Kolkata`, matches: inDays(seeded.until, day(spanDays - 1), day(1), 'Asia/Kolkata') }
  ]
  const cells: ListCell[] = []
  for (const { query, matches } of queries) {
    let expected = 0
    for (let i = 1; i <= ROAM_USERS; i++) if (i % 50 !== 0 && matches(i)) expected++
    for (const page of [1, 50_000]) {
      const path = `/v1/api/user/?${query}${query === '' ? '' : '&'}page_number=${page}`
      const times: number[] = []
      let pages = -1
      for (let sample = 0; sample < SAMPLES + 1; sample++) {
        const started = performance.now()
        const { status, text } = await send(app.url, { method: 'GET', path, headers: { 'api-key': roamKey } })
        if (status !== 200) throw new Error(`scale: GET ${path} answered ${status}: ${text.slice(0, 300)}`)
        if (sample > 0) times.push(performance.now() - started) // the first warms the statement and the cache
        pages = JSON.parse(text).data.pages
      }
      times.sort((a, b) => a - b)
      cells.push({ query: query || '(no dates)', page, medianMs: times[times.length >> 1]!, maxMs: times.at(-1)!, pages, expectedPages: Math.ceil(expected / 10) })
    }
  }
  return cells
}

/** Whether the i-th seeded user was created within the days `first`..`last` of `zone`. */
function inDays (until: Date, first: string, last: string, zone: string) {
  const offsetMs = (day: string) => {
    const probe = new Date(`${day}T12:00:00Z`)
    const local = new Date(probe.toLocaleString('en-US', { timeZone: zone }) + ' UTC')
    return local.getTime() - probe.getTime()
  }
  const from = Date.parse(`${first}T00:00:00Z`) - offsetMs(first)
  const to = Date.parse(`${last}T00:00:00Z`) + 86_400_000 - offsetMs(last)
  return (i: number) => {
    const created = until.getTime() - i * SPACING_SECONDS * 1000
    return created >= from && created < to
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Target 2: the Plaspy list of the whole account, streamed.

/** While it streams, a neighbour (the Roam tenant) reads one of its users, again and again. */
export async function measurePlaspyStream (app: Server, plaspyToken: string, roamKey: string): Promise<StreamResult> {
  const headers = { authorization: `Bearer ${plaspyToken}` }
  const neighbourRead = { method: 'GET' as const, path: `/v1/api/user/?user_id=b${(1).toString(16).padStart(23, '0')}`, headers: { 'api-key': roamKey } }
  await send(app.url, neighbourRead) // compiles its statements before anything is timed
  const before = rssMb(app.pid)
  let peak = before
  const sampler = setInterval(() => { peak = Math.max(peak, rssMb(app.pid)) }, 10)
  const streaming = new AbortController()
  let neighbourMaxMs = 0
  const neighbour = (async () => {
    while (!streaming.signal.aborted) {
      const started = performance.now()
      const { status } = await send(app.url, neighbourRead)
      if (status !== 200) throw new Error(`scale: the neighbour's read answered ${status}`)
      neighbourMaxMs = Math.max(neighbourMaxMs, performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  })()
  // The body is kept as it arrives and decoded only once the neighbour has stopped: decoding 80 MB in this
  // process would delay the neighbour's own timing, not the server.
  const started = performance.now()
  const response = await fetch(`${app.url}/api/users`, { headers })
  const chunks: Uint8Array[] = []
  for await (const chunk of response.body!) chunks.push(chunk)
  const seconds = (performance.now() - started) / 1000
  streaming.abort()
  await neighbour
  clearInterval(sampler)
  const text = Buffer.concat(chunks).toString()
  if (response.status !== 200) throw new Error(`scale: GET /api/users answered ${response.status}: ${text.slice(0, 300)}`)
  let users = -1
  let validJson = false
  try {
    users = (JSON.parse(text) as { users: unknown[] }).users.length
    validJson = true
  } catch {}
  return { users, validJson, seconds, rssGrowthMb: peak - before, neighbourMaxMs, stalledRssGrowthMb: await stalledClient(app, headers) }
}

/** Reads the first chunk of the list, then nothing for three seconds: the server must not buffer the rest. */
async function stalledClient (app: Server, headers: Record<string, string>): Promise<number> {
  const before = rssMb(app.pid)
  let peak = before
  await new Promise<void>((resolve, reject) => {
    const request = httpRequest(`${app.url}/api/users`, { headers }, (response) => {
      response.once('data', () => {
        response.pause()
        const sampler = setInterval(() => { peak = Math.max(peak, rssMb(app.pid)) }, 10)
        setTimeout(() => { clearInterval(sampler); request.destroy(); resolve() }, 3000)
      })
    })
    request.on('error', (error) => { if (!request.destroyed) reject(error) })
    request.end()
  })
  return peak - before
}

function rssMb (pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Number(kb) / 1024
}
