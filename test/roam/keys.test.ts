import t from 'tap'
import { buildApp } from '../../src/app.js'
import { createRoamKey, listRoamKeys, revokeRoamKey } from '../../src/roam/keys.js'
import { build, roamClient } from '../helper.js'
import { testDatabaseUrl } from '../helpers/database.js'
import { cli } from '../helpers/command.js'
import { eventually } from '../helpers/wait.js'

const listUrl = '/v1/api/user/?start_date=2021-06-01&end_date=2021-06-06'

t.test('keys are listed by account with a hint, never the secret or its hash', async (t) => {
  const app = await build(t)
  const first = await createRoamKey(app.db, 'acme')
  const second = await createRoamKey(app.db, 'acme', first.project_id) // a second key for the same project
  const third = await createRoamKey(app.db, 'acme') // a new project of the account
  const foreign = await createRoamKey(app.db, 'globex')
  t.equal(second.project_id, first.project_id)
  t.not(third.project_id, first.project_id)
  t.match(first, { key_id: /^key-[0-9a-f]{16}$/, api_key: /^[0-9a-f]{32}$/ })

  const keys = await listRoamKeys(app.db, 'acme')
  t.same(keys.map((key) => key.key_id), [first.key_id, second.key_id, third.key_id], 'the account\'s keys, oldest first; no other account\'s')
  const stored = await app.db.prisma.roamApiKey.findUniqueOrThrow({ where: { id: first.key_id } })
  t.same(keys[0], {
    key_id: first.key_id,
    project_id: first.project_id,
    hint: first.api_key.slice(-4),
    created_at: stored.createdAt.toISOString(),
    revoked_at: null
  })
  const shown = JSON.stringify(keys)
  for (const secret of [first, second, third]) t.notOk(shown.includes(secret.api_key), 'no secret')
  t.notOk(shown.includes(stored.keyHash), 'no hash')
  t.same((await listRoamKeys(app.db, 'globex')).map((key) => key.key_id), [foreign.key_id])
  await t.rejects(listRoamKeys(app.db, 'nobody'), { message: 'no Roam account named "nobody"' })
})

t.test('a key for a project of another account is refused, and nothing is created', async (t) => {
  const app = await build(t)
  const foreign = await createRoamKey(app.db, 'globex')
  await t.rejects(createRoamKey(app.db, 'acme', foreign.project_id), { message: `account "acme" has no project ${foreign.project_id}` })
  await t.rejects(createRoamKey(app.db, 'globex', 'ffffffffffffffffffffffff'), { message: 'account "globex" has no project ffffffffffffffffffffffff' })
  t.equal(await app.db.prisma.roamApiKey.count(), 1, 'no key was minted')
  t.equal(await app.db.prisma.roamAccount.count(), 1, 'no account was made')
})

t.test('a revoked key stops working at once; the other keys do not', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const sibling = await createRoamKey(app.db, 'acme', client.project_id)
  t.equal((await client.inject({ method: 'GET', url: listUrl })).statusCode, 200)

  const when = new Date('2026-01-02T03:04:05.678Z')
  const revoked = await revokeRoamKey(app.db, client.key_id, when)
  t.same(revoked, { key_id: client.key_id, project_id: client.project_id, hint: client.api_key.slice(-4), created_at: revoked.created_at, revoked_at: '2026-01-02T03:04:05.678Z' })
  const refused = await client.inject({ method: 'GET', url: listUrl })
  t.equal(refused.statusCode, 401, 'the very next request')
  t.same(refused.json().error, { ErrorCode: 'GS401', ErrorMessage: 'Invalid Api key', details: 'Invalid Api key.' })
  const post = await client.inject({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: 'x' } })
  t.equal(post.statusCode, 401)
  t.equal(await app.db.prisma.roamUser.count(), 0, 'the revoked key wrote nothing')

  const again = await revokeRoamKey(app.db, client.key_id, new Date('2027-01-01T00:00:00Z'))
  t.equal(again.revoked_at, '2026-01-02T03:04:05.678Z', 'revoking again keeps the first time')
  const stillWorks = await app.inject({ method: 'GET', url: listUrl, headers: { 'api-key': sibling.api_key } })
  t.equal(stillWorks.statusCode, 200, 'another key of the same project still works')
  await t.rejects(revokeRoamKey(app.db, 'key-0000000000000000'), { message: 'no Roam API key with id "key-0000000000000000"' })
})

t.test('tracker-users roam-key create | list | revoke, against a running server\'s database', async (t) => {
  const databaseUrl = await testDatabaseUrl(t)
  const app = await buildApp({ databaseUrl })
  t.teardown(() => app.close())

  const created = await cli(databaseUrl, 'roam-key', 'create', '--account', 'acme', '--json')
  t.equal(created.code, 0, created.stderr)
  const key = JSON.parse(created.stdout)
  t.same(Object.keys(key), ['account_id', 'project_id', 'key_id', 'api_key'])
  const get = () => app.inject({ method: 'GET', url: listUrl, headers: { 'Api-Key': key.api_key } })
  t.equal((await get()).statusCode, 200, 'the minted key works')

  const human = await cli(databaseUrl, 'roam-key', 'create', '--account', 'acme', '--project', key.project_id)
  t.equal(human.code, 0, human.stderr)
  t.match(human.stdout, new RegExp(`^account_id: ${key.account_id}\nproject_id: ${key.project_id}\nkey_id: key-[0-9a-f]{16}\napi_key: [0-9a-f]{32}\n$`))

  const listed = await cli(databaseUrl, 'roam-key', 'list', '--account', 'acme', '--json')
  t.equal(listed.code, 0, listed.stderr)
  const keys = JSON.parse(listed.stdout)
  t.equal(keys.length, 2)
  t.match(keys[0], { key_id: key.key_id, project_id: key.project_id, hint: key.api_key.slice(-4), revoked_at: null })
  t.same(Object.keys(keys[0]), ['key_id', 'project_id', 'hint', 'created_at', 'revoked_at'])
  t.notOk(listed.stdout.includes(key.api_key), 'list never prints a secret')

  const revoked = await cli(databaseUrl, 'roam-key', 'revoke', key.key_id, '--json')
  t.equal(revoked.code, 0, revoked.stderr)
  t.match(JSON.parse(revoked.stdout), { key_id: key.key_id, revoked_at: /^\d{4}-\d{2}-\d{2}T/ })
  // To the server the CLI is another process: Postgres tells it through a NOTIFY, which arrives a moment later.
  t.ok(await eventually(async () => (await get()).statusCode === 401), 'the running server refuses the key')

  const table = await cli(databaseUrl, 'roam-key', 'list', '--account', 'acme')
  t.equal(table.code, 0, table.stderr)
  const lines = table.stdout.trimEnd().split('\n')
  t.match(lines[0], /^KEY ID\s+PROJECT ID\s+HINT\s+CREATED\s+REVOKED$/)
  t.match(lines[1], new RegExp(`^${key.key_id}\\s+${key.project_id}\\s+…${key.api_key.slice(-4)}\\s+\\S+\\s+\\d{4}-\\d{2}-\\d{2}T\\S+$`), 'the revoked key shows when')
  t.match(lines[2], /\s-$/, 'the other key is not revoked')
  t.equal(lines.length, 3)
  t.notOk(table.stdout.includes(key.api_key))

  const unknown = await cli(databaseUrl, 'roam-key', 'revoke', 'key-0000000000000000')
  t.equal(unknown.code, 1)
  t.equal(unknown.stderr, 'tracker-users: no Roam API key with id "key-0000000000000000"\n', 'one clear line')
  const nobody = await cli(databaseUrl, 'roam-key', 'list', '--account', 'nobody')
  t.equal(nobody.code, 1)
  t.equal(nobody.stderr, 'tracker-users: no Roam account named "nobody"\n')
})
