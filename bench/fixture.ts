// A fresh database per run, migrated and seeded. Credentials come from the same functions the CLI uses (no
// vendor issues them over the API); users and the bearer token go through the HTTP API, which is the stable
// contract while the services behind it change.
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openDatabase } from '../src/db/client.js'
import { migrate } from '../src/db/migrate.js'
import { createLogin } from '../src/plaspy/logins.js'
import { createRoamKey } from '../src/roam/keys.js'
import type { BenchRequest, Fixture } from './targets.js'

export type DatabaseKind = 'sqlite' | 'postgres'

export interface BenchDatabase {
  url: string
  drop (): Promise<void>
}

/** Postgres on this machine only: the benchmark never leaves loopback. */
export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'

/** A new SQLite file in a temporary directory, or a new schema in the Postgres database; migrated. */
export async function createDatabase (kind: DatabaseKind): Promise<BenchDatabase> {
  let database: BenchDatabase
  if (kind === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'tracker-users-bench-'))
    database = { url: `file:${join(dir, 'bench.db')}`, drop: () => rm(dir, { recursive: true, force: true }) }
  } else {
    const schema = `bench_${randomBytes(6).toString('hex')}`
    database = { url: `${POSTGRES_URL}?schema=${schema}`, drop: () => dropSchema(schema) }
  }
  try {
    await migrate(database.url, { appRole: APP_ROLE }) // creates the Postgres schema too
  } catch (error) {
    await database.drop()
    throw error
  }
  return database
}

/**
 * The app's own login on Postgres, bound by row-level security as a deployment's is (README), and the role every
 * bench schema grants the server's rights to (one for all runs: roles outlive the schemas).
 */
const SERVER_LOGIN = 'tracker_users_bench_server'
const APP_ROLE = 'tracker_users_bench_app'

/** What the app connects with: on Postgres a login in APP_ROLE (made if missing); SQLite has no roles. */
export async function serverUrl (kind: DatabaseKind, url: string): Promise<string> {
  if (kind === 'sqlite') return url
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    await client.query(`DO $$ BEGIN CREATE ROLE ${SERVER_LOGIN} LOGIN PASSWORD '${SERVER_LOGIN}';
      EXCEPTION WHEN duplicate_object THEN NULL; END $$`)
    await client.query(`GRANT ${APP_ROLE} TO ${SERVER_LOGIN}`)
  } finally {
    await client.end()
  }
  const login = new URL(url)
  login.username = login.password = SERVER_LOGIN
  return login.href
}

async function dropSchema (schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  } finally {
    await client.end()
  }
}

export interface Credentials {
  roamKey: string
  plaspyUserName: string
  plaspyApiKey: string
}

export async function createCredentials (url: string): Promise<Credentials> {
  const db = await openDatabase(url)
  try {
    const roam = await createRoamKey(db, 'bench')
    const plaspy = await createLogin(db, { accountName: 'bench', userName: 'bench', email: 'bench@example.com' })
    return { roamKey: roam.api_key, plaspyUserName: plaspy.userName, plaspyApiKey: plaspy.api_key }
  } finally {
    await db.close()
  }
}

/** Sends one request; a failure names the request and shows the answer. */
export async function send (base: string, request: BenchRequest): Promise<{ status: number, text: string }> {
  const response = await fetch(base + request.path, { method: request.method, headers: request.headers, body: request.body })
  return { status: response.status, text: await response.text() }
}

async function sendOk (base: string, request: BenchRequest): Promise<any> {
  const { status, text } = await send(base, request)
  if (status < 200 || status > 299) throw new Error(`seeding: ${request.method} ${request.path} answered ${status}: ${text.slice(0, 300)}`)
  return JSON.parse(text)
}

/** A bearer token and `count` users of each dialect, made through the app's API at `base`. */
export async function seedUsers (base: string, credentials: Credentials, count: number): Promise<Fixture> {
  const json = { 'content-type': 'application/json' }
  const { token } = await sendOk(base, {
    method: 'POST',
    path: '/api/Auth/Token',
    headers: json,
    body: JSON.stringify({ userName: credentials.plaspyUserName, apiKey: credentials.plaspyApiKey })
  })
  const fixture: Fixture = { roamKey: credentials.roamKey, plaspyToken: token, roamUserIds: [], plaspyUsers: [], days: days() }
  for (let i = 0; i < count; i++) {
    const roam = await sendOk(base, {
      method: 'POST',
      path: '/v1/api/user/',
      headers: { ...json, 'api-key': credentials.roamKey },
      body: JSON.stringify({ app_type: 1 + (i % 2), device_token: `bench-device-${i}`, description: `bench device ${i}`, metadata: { seeded: true } })
    })
    fixture.roamUserIds.push(roam.data.user_id)
    const email = `bench-user-${i}@example.com`
    const plaspy = await sendOk(base, {
      method: 'POST',
      path: '/api/users',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: `Bench User ${i}`, email, country: 'US', timeZone: 'UTC' })
    })
    fixture.plaspyUsers.push({ id: plaspy.id, email })
  }
  return fixture
}

/** Yesterday to tomorrow (UTC): every user created now is inside, even across midnight. */
function days (): Fixture['days'] {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
  return { start: day(-1), end: day(1) }
}
