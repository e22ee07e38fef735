// The credential cache and how it learns of changes, on the provider under test: a hit costs no query;
// changes made through this process, another connection or another process empty it before the next read.
import t from 'tap'
import { changeCredentials, openDatabase } from '../../src/db/client.js'
import { CredentialChanges } from '../../src/db/credential-changes.js'
import { CredentialCache } from '../../src/platform/credential-cache.js'
import { createRoamKey } from '../../src/roam/keys.js'
import { roamRepository } from '../../src/roam/repository.js'
import { secretHash } from '../../src/platform/secrets.js'
import { testDatabaseUrl, testProvider } from '../helpers/database.js'
import { eventually } from '../helpers/wait.js'

/** A cache over `changes` whose loader counts its calls. */
function counting (changes: CredentialChanges, load: (hash: string) => Promise<object | undefined> = async () => ({ ok: true })) {
  const calls = { n: 0 }
  const cache = new CredentialCache<object>(changes)
  return { calls, lookup: (hash: string) => cache.lookup(hash, (h) => { calls.n++; return load(h) }), cache }
}

t.test('hits cost no load; a change drops everything; invalid credentials are never cached', async (t) => {
  const changes = new CredentialChanges()
  const { calls, lookup } = counting(changes, async (hash) => hash === 'bad' ? undefined : { hash })
  await lookup('a')
  await lookup('a')
  t.equal(calls.n, 1)
  changes.changed()
  await lookup('a')
  t.equal(calls.n, 2, 'loaded again after a change')
  await lookup('bad')
  await lookup('bad')
  t.equal(calls.n, 4, 'an invalid credential is looked up every time')
})

t.test('a lookup that began before a change does not store what it read', async (t) => {
  const changes = new CredentialChanges()
  let release!: () => void
  const { calls, lookup } = counting(changes, () => new Promise((resolve) => { release = () => resolve({ stale: true }) }))
  const pending = lookup('a')
  changes.changed()
  release()
  await pending
  void lookup('a')
  t.equal(calls.n, 2, 'the stale answer was not cached')
  release()
})

t.test('while changes could go unnoticed, nothing is cached', async (t) => {
  class Deaf extends CredentialChanges { override watching () { return false } }
  const { calls, lookup } = counting(new Deaf())
  await lookup('a')
  await lookup('a')
  t.equal(calls.n, 2)
})

t.test('a revocation by another connection (as the CLI makes it) is noticed before the next read', async (t) => {
  const url = await testDatabaseUrl(t)
  const server = await openDatabase(url, { prisma: true })
  t.teardown(() => server.close())
  const cli = await openDatabase(url, { prisma: true }) // a process of its own would open just this
  t.teardown(() => cli.close())
  const key = await createRoamKey(cli, 'acme')
  const store = roamRepository(server)
  const { calls, lookup } = counting(server.credentials, (hash) => store.principal(hash))
  const hash = secretHash(key.api_key)

  // Postgres caches only once its LISTEN connection is up.
  t.ok(await eventually(() => server.credentials.watching()), 'watching for changes')
  t.ok(await lookup(hash))
  t.ok(await lookup(hash))
  t.equal(calls.n, 1, 'the second request was served from the cache')

  await changeCredentials(cli, (query) => query.updateTable('roamApiKeys').set({ revokedAt: new Date() }).where('id', '=', key.key_id).execute())
  if (server.provider === 'sqlite') t.equal(await lookup(hash), undefined, 'the revoked key is refused at once (data_version)')
  // Postgres: once the NOTIFY, sent at the commit, reaches the server's LISTEN connection.
  else t.ok(await eventually(async () => await lookup(hash) === undefined), 'the revoked key is refused')
})

t.test('a plain write through the app\'s own client drops the cache at once', async (t) => {
  const db = await openDatabase(await testDatabaseUrl(t), { prisma: true })
  t.teardown(() => db.close())
  const key = await createRoamKey(db, 'acme')
  const store = roamRepository(db)
  const { calls, lookup } = counting(db.credentials, (hash) => store.principal(hash))
  const hash = secretHash(key.api_key)
  t.ok(await eventually(() => db.credentials.watching()), 'watching for changes')
  await lookup(hash)
  await lookup(hash)
  t.equal(calls.n, 1)
  await db.prisma.roamApiKey.update({ where: { id: key.key_id }, data: { revokedAt: new Date() } })
  t.equal(await lookup(hash), undefined, 'the very next read')
})

t.test('Postgres: another deployment\'s changes, in another schema of the same database, drop nothing here', { skip: testProvider() !== 'postgresql' && 'Postgres only: a SQLite file is one deployment' }, async (t) => {
  const url = await testDatabaseUrl(t)
  const server = await openDatabase(url)
  t.teardown(() => server.close())
  const here = await openDatabase(url) // this deployment's CLI
  t.teardown(() => here.close())
  const elsewhere = await openDatabase(await testDatabaseUrl(t)) // the other deployment's CLI
  t.teardown(() => elsewhere.close())
  let heard = 0
  server.credentials.subscribe(() => { heard++ })
  t.ok(await eventually(() => server.credentials.watching()), 'watching for changes')
  const before = heard

  const revoke = (db: typeof here) => changeCredentials(db, (query) => query.updateTable('roamApiKeys').set({ revokedAt: new Date() }).execute())
  await revoke(elsewhere)
  await revoke(here)
  // Notifications reach a listener in commit order: once this schema's has arrived, the other's would have too.
  t.ok(await eventually(() => heard > before), 'this deployment\'s change is heard')
  await new Promise((resolve) => setTimeout(resolve, 200)) // time for a second notification, were one heard
  t.equal(heard - before, 1, 'the other deployment\'s is not')
})
