// `tracker-users plaspy-user …` as a person runs it: the command on a connection of its own (in this process,
// test/helpers/command.ts), against the database a server is serving at the same time. To the server that is
// another process: it hears of a revocation at its next read on SQLite (data_version), and on Postgres when the
// NOTIFY sent at the commit arrives, a moment later (test/db/credential-cache.test.ts).
import t, { type Test } from 'tap'
import { buildApp, type App } from '../../src/app.js'
import { testDatabaseUrl } from '../helpers/database.js'
import { cli } from '../helpers/command.js'
import { eventually } from '../helpers/wait.js'

async function serve (t: Test): Promise<{ app: App, url: string }> {
  const url = await testDatabaseUrl(t)
  const app = await buildApp({ databaseUrl: url, prisma: true })
  t.teardown(() => app.close())
  return { app, url }
}

function signIn (app: App, userName: string, apiKey: string) {
  return app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName, apiKey } })
}

function listUsers (app: App, token: string) {
  return app.inject({ method: 'GET', url: '/api/users', headers: { authorization: `Bearer ${token}` } })
}

t.test('key regenerate and key revoke invalidate every token of the old keys', async (t) => {
  const { app, url } = await serve(t)
  const created = await cli(url, 'plaspy-user', 'create', '--account', 'acme', '--user', 'jane', '--email', 'jane@example.com', '--json')
  t.equal(created.code, 0, created.stderr)
  const login = JSON.parse(created.stdout) as { user_id: string, userName: string, api_key: string }
  const first = (await signIn(app, 'jane', login.api_key)).json().token as string
  t.equal((await listUsers(app, first)).statusCode, 200)

  const regenerated = await cli(url, 'plaspy-user', 'key', 'regenerate', '--user', 'jane', '--json')
  t.equal(regenerated.code, 0, regenerated.stderr)
  const fresh = JSON.parse(regenerated.stdout) as { user_id: string, userName: string, api_key: string }
  t.same(Object.keys(fresh).sort(), ['api_key', 'userName', 'user_id'])
  t.equal(fresh.user_id, login.user_id)
  t.not(fresh.api_key, login.api_key, 'a new key')
  t.ok(await eventually(async () => (await listUsers(app, first)).statusCode === 401), 'the token of the old key stops working')
  t.equal((await signIn(app, 'jane', login.api_key)).statusCode, 401, 'the old key buys no token')
  const second = await signIn(app, 'jane', fresh.api_key)
  t.equal(second.statusCode, 200, 'the new key does')
  t.equal((await listUsers(app, second.json().token)).statusCode, 200)
  const keys = await app.db.prisma.plaspyApiKey.findMany({ where: { userId: login.user_id } })
  t.equal(keys.length, 2)
  t.equal(keys.filter((key) => key.revokedAt === null).length, 1, 'one key is live')
  t.notMatch(JSON.stringify(keys), fresh.api_key, 'stored only hashed')

  const revoked = await cli(url, 'plaspy-user', 'key', 'revoke', '--user', 'jane', '--json')
  t.equal(revoked.code, 0, revoked.stderr)
  t.same(JSON.parse(revoked.stdout), { user_id: login.user_id, userName: 'jane', revoked_keys: 1 })
  t.ok(await eventually(async () => (await listUsers(app, second.json().token)).statusCode === 401), 'tokens of the revoked key stop working')
  t.equal((await signIn(app, 'jane', fresh.api_key)).statusCode, 401, 'the revoked key buys no token')
  t.equal(await app.db.prisma.plaspyApiKey.count({ where: { userId: login.user_id, revokedAt: null } }), 0)

  const again = await cli(url, 'plaspy-user', 'key', 'revoke', '--user', 'jane', '--json')
  t.same(JSON.parse(again.stdout), { user_id: login.user_id, userName: 'jane', revoked_keys: 0 }, 'revoking twice is harmless')
})

t.test('without --json the key is printed once, for a person', async (t) => {
  const { app, url } = await serve(t)
  await cli(url, 'plaspy-user', 'create', '--account', 'acme', '--user', 'john', '--email', 'john@example.com')
  const regenerated = await cli(url, 'plaspy-user', 'key', 'regenerate', '--user', 'john')
  t.equal(regenerated.code, 0, regenerated.stderr)
  const apiKey = /^api_key: (\S+)$/m.exec(regenerated.stdout)?.[1]
  t.ok(apiKey, 'an api_key line')
  t.match(regenerated.stdout, /^user_id: usr-[0-9a-f]{16}$/m)
  t.equal((await signIn(app, 'john', apiKey!)).statusCode, 200, 'the printed key works')
})

t.test('an unknown user or a bad value is one line on stderr, exit 1, and nothing changes', async (t) => {
  const { app, url } = await serve(t)
  for (const action of ['regenerate', 'revoke']) {
    const run = await cli(url, 'plaspy-user', 'key', action, '--user', 'nobody')
    t.equal(run.code, 1, action)
    t.equal(run.stdout, '', `${action}: nothing on stdout`)
    t.equal(run.stderr, 'tracker-users: no Plaspy user named "nobody"\n', `${action}: one line`)
  }
  t.equal(await app.db.prisma.plaspyApiKey.count(), 0, 'no key was minted')

  const zone = await cli(url, 'plaspy-user', 'create', '--account', 'acme', '--user', 'x', '--email', 'x@example.com', '--time-zone', 'Mars/Olympus')
  t.equal(zone.code, 1)
  t.match(zone.stderr, /"Mars\/Olympus" is not an IANA time zone/)
  const country = await cli(url, 'plaspy-user', 'create', '--account', 'acme', '--user', 'x', '--email', 'x@example.com', '--country', 'Atlantis')
  t.equal(country.code, 1)
  t.match(country.stderr, /"Atlantis" is not an ISO 3166 country/)
  t.equal(await app.db.prisma.plaspyUser.count(), 0, 'no user was created')

  const missing = await cli(url, 'plaspy-user', 'key', 'regenerate')
  t.equal(missing.code, 1)
  t.match(missing.stderr, /required option '--user <userName>' not specified/)
})
