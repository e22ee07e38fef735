// build(t): a fresh server on a database of its own (SQLite, or Postgres with TEST_DATABASE=postgres),
// closed when the test ends; plus credentials minted the way the CLI mints them.
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { buildApp, type App, type AppOptions } from '../src/app.js'
import { openDatabase, type Database } from '../src/db/client.js'
import { createLogin, type NewLogin } from '../src/plaspy/logins.js'
import { createRoamKey } from '../src/roam/keys.js'
import { serverDatabaseUrl, testDatabaseUrl } from './helpers/database.js'

/**
 * On Postgres the server connects as the role a deployment gives it, bound by row-level security, while
 * `app.db` is the tables' owner's: tests set credentials up with it as the CLI does, and look behind the API.
 */
export async function build (t: Test, options: Omit<AppOptions, 'databaseUrl'> = {}): Promise<App> {
  const url = await testDatabaseUrl(t)
  const serverUrl = await serverDatabaseUrl(url)
  // The Admin operations write keys, as the CLI does: on Postgres with the owner's login (ADMIN_DATABASE_URL).
  const admin = options.admin && { databaseUrl: serverUrl === url ? undefined : url, ...options.admin }
  const app = await buildApp({ prisma: true, ...options, admin, databaseUrl: serverUrl })
  t.teardown(() => app.close())
  await app.ready()
  if (serverUrl !== url) app.db = await ownerDatabase(t, url, app.db)
  return app
}

/** The owner's connection; what it changes in credentials reaches the server's caches as in one process. */
async function ownerDatabase (t: Test, url: string, server: Database): Promise<Database> {
  const owner = await openDatabase(url, { prisma: true })
  t.teardown(() => owner.close())
  owner.credentials.subscribe(() => server.credentials.changed())
  return owner
}

/** A Roam API key for a new project of `account`, and a helper to call the API with it. */
export async function roamClient (app: App, account = 'acme') {
  const key = await createRoamKey(app.db, account)
  return {
    ...key,
    inject: (request: InjectOptions): Promise<LightMyRequestResponse> =>
      app.inject({ ...request, headers: { 'api-key': key.api_key, ...request.headers } })
  }
}

let logins = 0

/** A Plaspy user who can sign in, with a bearer token bought at POST /api/Auth/Token. */
export async function plaspyClient (app: App, login: Partial<NewLogin> = {}) {
  const n = ++logins
  const minted = await createLogin(app.db, {
    accountName: 'acme',
    userName: `user${n}`,
    email: `user${n}@example.com`,
    ...login
  })
  const response = await app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: minted.userName, apiKey: minted.api_key } })
  const { token } = response.json() as { token: string }
  return {
    ...minted,
    token,
    inject: (request: InjectOptions): Promise<LightMyRequestResponse> =>
      app.inject({ ...request, headers: { authorization: `Bearer ${token}`, ...request.headers } })
  }
}
