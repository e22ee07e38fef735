// DATABASE_URL=file::memory: (src/db/in-memory.ts): a private, migrated database per process, for throwaway runs;
// the CLI, in another process, says it cannot reach it.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import t from 'tap'
import { openDatabase } from '../../src/db/client.js'
import { PACKAGE_ROOT } from '../../src/platform/package-root.js'
import { checkReadiness } from '../../src/platform/operations.js'
import { createRoamKey, listRoamKeys } from '../../src/roam/keys.js'
import { testProvider } from '../helpers/database.js'
import { roamUpdateSample, VENDOR_SAMPLES } from '../helpers/fixtures.js'
import { cli } from '../helpers/command.js'
import { startServer } from '../helpers/server.js'

const sqliteOnly = { skip: testProvider() === 'postgresql' && 'SQLite\'s own mode, whatever TEST_DATABASE says: run once' }
t.setTimeout(120_000)

t.test('each open is a database of its own, migrated and ready, that leaves no file behind', sqliteOnly, async (t) => {
  const [one, two] = [await openDatabase('file::memory:'), await openDatabase('file::memory:?cache=shared')]
  t.teardown(async () => { await one.close(); await two.close() })
  t.match(await checkReadiness(one), { status: 'ready', database: 'ok', migrations: { pending: [] } })
  const key = await createRoamKey(one, 'acme')
  t.same((await listRoamKeys(one, 'acme')).map((k) => k.key_id), [key.key_id])
  await t.rejects(listRoamKeys(two, 'acme'), { message: 'no Roam account named "acme"' }, 'the other database never saw it')
  t.notOk(existsSync(':memory:') || existsSync(`${PACKAGE_ROOT}/:memory:`), 'no file named after it')
  await t.rejects(openDatabase('file::memory:', { prisma: true }), /one connection/)
})

t.test('the server on it: seeded from SEED_FILE, provisioned over the Admin operations, serving the vendor\'s sample; the CLI says it cannot reach it', sqliteOnly, async (t) => {
  const token = 'e'.repeat(40)
  const server = await startServer(t, { DATABASE_URL: 'file::memory:', SEED_FILE: VENDOR_SAMPLES, ADMIN_TOKEN: token })
  const sample = await fetch(`${server.base}${roamUpdateSample.url}`, { method: 'PUT', headers: roamUpdateSample.headers, body: roamUpdateSample.payload })
  t.equal(sample.status, 200)
  t.equal((await fetch(`${server.base}/readyz`)).status, 200)
  const reloaded = await fetch(`${server.base}/admin/reset`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' }, body: await readFile(VENDOR_SAMPLES, 'utf8') })
  t.equal(reloaded.status, 200)
  t.equal((await fetch(`${server.base}${roamUpdateSample.url}`, { method: 'PUT', headers: roamUpdateSample.headers, body: roamUpdateSample.payload })).status, 200)

  for (const args of [['roam-key', 'create', '--account', 'acme'], ['migrate'], ['seed', VENDOR_SAMPLES]]) {
    const refused = await cli('file::memory:', ...args)
    t.equal(refused.code, 1, args.join(' '))
    t.equal(refused.stderr, 'tracker-users: DATABASE_URL=file::memory: is a database inside one server process, which no command can reach: start the server with SEED_FILE, or with ADMIN_TOKEN and use its Admin operations\n')
  }
})
