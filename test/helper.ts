// build(t): a fresh server on a database of its own (SQLite, or Postgres with TEST_DATABASE=postgres),
// closed when the test ends; plus credentials minted the way the CLI mints them.
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { buildApp, type App, type AppOptions } from '../src/app.js'
import { createLogin, type NewLogin } from '../src/plaspy/logins.js'
import { createRoamKey } from '../src/roam/keys.js'
import { testDatabaseUrl } from './helpers/database.js'

export async function build (t: Test, options: Omit<AppOptions, 'databaseUrl'> = {}): Promise<App> {
  const app = await buildApp({ ...options, databaseUrl: await testDatabaseUrl(t) })
  t.teardown(() => app.close())
  await app.ready()
  return app
}

/** A Roam API key for a new project of `account`, and a helper to call the API with it. */
export async function roamClient (app: App, account = 'acme') {
  const key = await createRoamKey(app.db.prisma, account)
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
  const minted = await createLogin(app.db.prisma, {
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
