// The Admin operations (src/admin): off, they do not exist; on, only ADMIN_TOKEN opens them, and they do over HTTP
// what the CLI does: fixtures, reset, credentials minted and revoked, usage read. Checked through the dialects'
// own requests and behind the API.
import { readFile } from 'node:fs/promises'
import type { InjectOptions } from 'fastify'
import t from 'tap'
import type { App } from '../../src/app.js'
import { build, plaspyClient, roamClient } from '../helper.js'
import { testDatabaseUrl, testProvider } from '../helpers/database.js'
import { NOTHING_ADDED, roamUpdateSample, rowCounts, VENDOR_SAMPLES } from '../helpers/fixtures.js'
import { startServer } from '../helpers/server.js'

const TOKEN = 'a3f1c0de5b7e4d2a9c8b6f1e0d2c4b6a8e0f1a2b3c4d5e6f'

function adminOf (app: App, token = TOKEN) {
  return (request: InjectOptions) => app.inject({ ...request, headers: { authorization: `Bearer ${token}`, ...request.headers } })
}

t.test('off unless ADMIN_TOKEN is set: every /admin/ path answers exactly as an unknown path, and changes nothing', async (t) => {
  const app = await build(t)
  const roam = await roamClient(app)
  const before = await rowCounts(app)
  const unknown = await app.inject({ method: 'POST', url: '/admin/no-such-thing' })
  t.equal(unknown.statusCode, 404)
  for (const request of [
    { method: 'POST', url: '/admin/reset' },
    { method: 'POST', url: '/admin/fixtures', payload: { roam: {} } },
    { method: 'POST', url: '/admin/roam/keys', payload: { account: 'acme' } },
    { method: 'GET', url: '/admin/plaspy/users/jane/usage' }
  ] as const) {
    const answer = await adminOf(app)(request)
    t.equal(answer.statusCode, 404, `${request.method} ${request.url}`)
    t.same(answer.json(), unknown.json())
  }
  t.same(await rowCounts(app), before)
  t.equal((await roam.inject({ method: 'GET', url: '/v1/api/user/' })).statusCode, 200, 'the key still works')
})

t.test('only the token opens them: none, a wrong one, another scheme or a dialect credential is 401 (counted per address); the token opens no dialect operation', async (t) => {
  const app = await build(t, { admin: { token: TOKEN }, rateLimit: { failedAuthenticationMax: 6 } })
  const roam = await roamClient(app)
  const plaspy = await plaspyClient(app)
  const before = await rowCounts(app)
  const reset = { method: 'POST', url: '/admin/reset' } as const
  for (const headers of [{}, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Basic ${TOKEN}` }, { authorization: TOKEN },
    { 'api-key': roam.api_key }, { authorization: `Bearer ${plaspy.token}` }]) {
    const answer = await app.inject({ ...reset, headers })
    t.equal(answer.statusCode, 401, JSON.stringify(headers))
    t.same(answer.json(), { statusCode: 401, error: 'Unauthorized', message: 'Invalid admin token.' })
    t.equal(answer.headers['www-authenticate'], 'Bearer')
  }
  t.same(await rowCounts(app), before, 'nothing was emptied')
  const throttled = await adminOf(app)(reset)
  t.equal(throttled.statusCode, 429, 'after six failures even the right token waits')
  t.ok(Number(throttled.headers['retry-after']) >= 1)
  t.same(throttled.json(), { statusCode: 429, error: 'Too Many Requests', message: 'Too many requests.' })

  const other = await build(t, { admin: { token: TOKEN } })
  t.equal((await other.inject({ method: 'GET', url: '/api/users', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 401)
  t.equal((await other.inject({ method: 'GET', url: '/v1/api/user/', headers: { 'api-key': TOKEN } })).statusCode, 401)
  t.equal((await adminOf(other, TOKEN.toUpperCase())({ method: 'GET', url: '/admin/roam/accounts/acme/keys' })).statusCode, 401, 'compared exactly')
  t.equal((await other.inject({ method: 'GET', url: '/admin/roam/accounts/acme/keys', headers: { authorization: `bearer  ${TOKEN}` } })).statusCode, 404,
    'the scheme in any case; in, the account is unknown')
})

t.test('fixtures as YAML or JSON: the vendor\'s sample then runs, a second load adds nothing, a bad document is 400 naming its path and loads nothing', async (t) => {
  const app = await build(t, { admin: { token: TOKEN } })
  const admin = adminOf(app)
  const yaml = await readFile(VENDOR_SAMPLES, 'utf8')
  const loaded = await admin({ method: 'POST', url: '/admin/fixtures', headers: { 'content-type': 'application/yaml' }, payload: yaml })
  t.equal(loaded.statusCode, 200)
  t.match(loaded.json(), { roamApiKeys: 2, roamUsers: 1, plaspyUsers: 2, plaspyApiKeys: 1 })
  const sample = await app.inject(roamUpdateSample)
  t.equal(sample.statusCode, 200, 'Roam\'s Update User sample, as printed')
  t.equal(sample.json().data.description, 'ROAM111')

  const again = await admin({ method: 'POST', url: '/admin/fixtures', headers: { 'content-type': 'application/yaml; charset=utf-8' }, payload: yaml })
  t.same(again.json(), NOTHING_ADDED)

  const before = await rowCounts(app)
  const bad = await admin({ method: 'POST', url: '/admin/fixtures', payload: { roam: { accounts: [{ name: 'b', projects: [{ users: [{ app_type: 7, device_token: 'x' }] }] }] } } })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { statusCode: 400, error: 'Bad Request', message: /^body: roam\.accounts\[0\]\.projects\[0\]\.users\[0\]\.app_type / })
  const held = await admin({ method: 'POST', url: '/admin/fixtures', payload: { roam: { accounts: [{ name: 'thief', projects: [{ api_keys: ['fresh-key-1'] }, { api_keys: ['63598c5b3aa84f14914013709402bbc9'] }] }] } } })
  t.equal(held.statusCode, 400, 'a key another tenant holds')
  t.match(held.json().message, /roam\.accounts\[0\]\.projects\[1\]\.api_keys\[0\]/)
  const garbled = await admin({ method: 'POST', url: '/admin/fixtures', headers: { 'content-type': 'application/yaml' }, payload: 'roam: [unclosed' })
  t.equal(garbled.statusCode, 400)
  t.match(garbled.json().message, /^body: not YAML or JSON/)
  const bomb = await admin({ method: 'POST', url: '/admin/fixtures', headers: { 'content-type': 'application/yaml' }, payload: `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 120 }, (_, i) => `b${i}: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]`).join('\n')}\n` })
  t.equal(bomb.statusCode, 400, 'aliases are bounded, as in a file')
  t.same(await rowCounts(app), before, 'not one row of any of them')
  t.equal((await admin({ method: 'POST', url: '/admin/fixtures', headers: { 'content-type': 'text/plain' }, payload: 'x' })).statusCode, 415)
  const yamlKey = await admin({ method: 'POST', url: '/admin/roam/keys', headers: { 'content-type': 'application/yaml' }, payload: 'account: acme' })
  t.same([yamlKey.statusCode, yamlKey.json().message], [415, 'Content-Type must be application/json.'], 'YAML only where openapi.yaml takes it')
})

t.test('a fixture document may be up to 1 MiB; a dialect body stays at 64 KiB', async (t) => {
  const app = await build(t, { admin: { token: TOKEN } })
  const users = Array.from({ length: 2500 }, (_, i) => ({ app_type: 1, device_token: `device-${i}`, description: 'd'.repeat(300) }))
  const document = { roam: { accounts: [{ name: 'big', projects: [{ api_keys: ['big-key-0001'], users }] }] } }
  t.ok(JSON.stringify(document).length > 800 * 1024)
  const loaded = await adminOf(app)({ method: 'POST', url: '/admin/fixtures', payload: document })
  t.equal(loaded.statusCode, 200)
  t.equal(loaded.json().roamUsers, 2500)
  const over = await adminOf(app)({ method: 'POST', url: '/admin/fixtures', payload: { roam: { accounts: [{ name: 'x'.repeat(1024 * 1024) }] } } })
  t.equal(over.statusCode, 413)
  t.same(over.json(), { statusCode: 413, error: 'Payload Too Large', message: 'Request body is too large.' })
  t.equal((await rowCounts(app)).roamUsers, 2500)
  t.equal((await app.inject({ method: 'POST', url: '/v1/api/user/', headers: { 'api-key': 'big-key-0001' }, payload: { app_type: 1, device_token: 'x', description: 'd'.repeat(65 * 1024) } })).statusCode, 413)
})

t.test('reset empties every table, keys stop working at once; with a document it loads it in the same step', async (t) => {
  const app = await build(t, { admin: { token: TOKEN } })
  const admin = adminOf(app)
  const roam = await roamClient(app)
  t.equal((await roam.inject({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: 'x' } })).statusCode, 201)
  const emptied = await admin({ method: 'POST', url: '/admin/reset', headers: { 'content-type': 'application/json' } })
  t.equal(emptied.statusCode, 200)
  t.same(emptied.json(), { reset: true })
  t.same(Object.values(await rowCounts(app)).filter((n) => n > 0), [], 'every table is empty')
  t.equal((await roam.inject({ method: 'GET', url: '/v1/api/user/' })).statusCode, 401, 'the key of before is gone')

  const reloaded = await admin({ method: 'POST', url: '/admin/reset', headers: { 'content-type': 'application/yaml' }, payload: await readFile(VENDOR_SAMPLES, 'utf8') })
  t.equal(reloaded.statusCode, 200)
  t.match(reloaded.json(), { reset: true, added: { roamApiKeys: 2, roamUsers: 1 } })
  t.equal((await app.inject(roamUpdateSample)).statusCode, 200)
})

t.test('Roam keys: minted (new project or the account\'s own), listed without the secret, revoked at once; unknown ones 404', async (t) => {
  const app = await build(t, { admin: { token: TOKEN } })
  const admin = adminOf(app)
  const minted = await admin({ method: 'POST', url: '/admin/roam/keys', payload: { account: 'acme' } })
  t.equal(minted.statusCode, 201)
  const key = minted.json()
  t.match(key, { account_id: /^[0-9a-f]{24}$/, project_id: /^[0-9a-f]{24}$/, key_id: /^key/, api_key: /^[0-9a-f]{32}$/ })
  const created = await app.inject({ method: 'POST', url: '/v1/api/user/', headers: { 'api-key': key.api_key }, payload: { app_type: 1, device_token: 'x' } })
  t.equal(created.statusCode, 201)
  const second = (await admin({ method: 'POST', url: '/admin/roam/keys', payload: { account: 'acme', project_id: key.project_id } })).json()
  t.equal(second.project_id, key.project_id, 'a second key of the same project')
  t.equal((await app.inject({ method: 'GET', url: '/v1/api/user/', headers: { 'api-key': second.api_key } })).json().data.pages, 1)

  const listed = await admin({ method: 'GET', url: '/admin/roam/accounts/acme/keys' })
  t.equal(listed.statusCode, 200)
  t.same(listed.json().map((k: { key_id: string, hint: string, revoked_at: null }) => [k.key_id, k.hint, k.revoked_at]), [[key.key_id, key.api_key.slice(-4), null], [second.key_id, second.api_key.slice(-4), null]])
  t.notMatch(listed.body, key.api_key)

  const revoked = await admin({ method: 'DELETE', url: `/admin/roam/keys/${key.key_id}` })
  t.equal(revoked.statusCode, 200)
  t.match(revoked.json(), { key_id: key.key_id, revoked_at: /^\d{4}-/ })
  t.equal((await app.inject({ method: 'GET', url: '/v1/api/user/', headers: { 'api-key': key.api_key } })).statusCode, 401, 'revoked at once')

  const other = (await admin({ method: 'POST', url: '/admin/roam/keys', payload: { account: 'globex' } })).json()
  for (const [request, message] of [
    [{ method: 'DELETE', url: '/admin/roam/keys/key-0000000000000000' }, 'no Roam API key with id "key-0000000000000000"'],
    [{ method: 'GET', url: '/admin/roam/accounts/nobody/keys' }, 'no Roam account named "nobody"'],
    [{ method: 'POST', url: '/admin/roam/keys', payload: { account: 'acme', project_id: other.project_id } }, `account "acme" has no project ${other.project_id}`]
  ] as const) {
    const answer = await admin(request)
    t.equal(answer.statusCode, 404)
    t.same(answer.json(), { statusCode: 404, error: 'Not Found', message })
  }
  const invalid = await admin({ method: 'POST', url: '/admin/roam/keys', payload: { account: '', extra: 1 } })
  t.equal(invalid.statusCode, 400)
})

t.test('Plaspy logins: created, signed in with, usage read as the envelopes count it, key replaced and revoked', async (t) => {
  const app = await build(t, { admin: { token: TOKEN } })
  const admin = adminOf(app)
  const created = await admin({ method: 'POST', url: '/admin/plaspy/users', payload: { account: 'acme', userName: 'jane', email: 'jane@example.com', country: 'AR', timeZone: 'America/Argentina/Buenos_Aires' } })
  t.equal(created.statusCode, 201)
  const login = created.json()
  t.match(login, { user_id: /^usr-/, userName: 'jane', api_key: /^[\w-]{32}$/ })
  const tokenOf = async (apiKey: string) => app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: 'jane', apiKey } })
  const { token } = (await tokenOf(login.api_key)).json()
  const usage = () => admin({ method: 'GET', url: '/admin/plaspy/users/jane/usage' })
  t.same((await usage()).json(), { user_id: login.user_id, userName: 'jane', apiUsage: 0, apiDailyUsage: 0 }, 'no request yet')
  let envelope
  for (let i = 0; i < 3; i++) envelope = (await app.inject({ method: 'GET', url: '/api/users', headers: { authorization: `Bearer ${token}` } })).json()
  t.same((await usage()).json(), { user_id: login.user_id, userName: 'jane', apiUsage: envelope.apiUsage, apiDailyUsage: envelope.apiDailyUsage })
  t.equal(envelope.apiUsage, 3)
  t.equal((await usage()).json().apiUsage, 3, 'reading it counts nothing')

  const duplicate = await admin({ method: 'POST', url: '/admin/plaspy/users', payload: { account: 'acme', userName: 'jane', email: 'other@example.com' } })
  t.equal(duplicate.statusCode, 409)
  t.same(duplicate.json(), { statusCode: 409, error: 'Conflict', message: 'a user named "jane" or with email "other@example.com" already exists' })
  const badCountry = await admin({ method: 'POST', url: '/admin/plaspy/users', payload: { account: 'acme', userName: 'joe', email: 'joe@example.com', country: 'Atlantis' } })
  t.equal(badCountry.statusCode, 400)
  t.equal(badCountry.json().message, '"Atlantis" is not an ISO 3166 country')

  const replaced = await admin({ method: 'POST', url: '/admin/plaspy/users/jane/key' })
  t.equal(replaced.statusCode, 200)
  t.not(replaced.json().api_key, login.api_key)
  t.equal((await app.inject({ method: 'GET', url: '/api/users', headers: { authorization: `Bearer ${token}` } })).statusCode, 401, 'the old key\'s token stops at once')
  t.equal((await tokenOf(login.api_key)).statusCode, 401)
  const fresh = (await tokenOf(replaced.json().api_key)).json().token
  t.equal((await app.inject({ method: 'GET', url: '/api/users', headers: { authorization: `Bearer ${fresh}` } })).statusCode, 200)

  const revoked = await admin({ method: 'DELETE', url: '/admin/plaspy/users/jane/key' })
  t.same(revoked.json(), { user_id: login.user_id, userName: 'jane', revoked_keys: 1 })
  t.equal((await app.inject({ method: 'GET', url: '/api/users', headers: { authorization: `Bearer ${fresh}` } })).statusCode, 401)
  for (const request of [{ method: 'GET', url: '/admin/plaspy/users/nobody/usage' }, { method: 'POST', url: '/admin/plaspy/users/nobody/key' }, { method: 'DELETE', url: '/admin/plaspy/users/nobody/key' }] as const) {
    t.same((await admin(request)).json(), { statusCode: 404, error: 'Not Found', message: 'no Plaspy user named "nobody"' })
  }
})

t.test('over real HTTP, as a suite in another container drives it: fixtures loaded, the vendor\'s sample then runs; no token or key in the log', async (t) => {
  const url = await testDatabaseUrl(t)
  // On Postgres the server's login may not write keys: the admin operations use the owner's, as the CLI does.
  const server = await startServer(t, { DATABASE_URL: url, ADMIN_TOKEN: TOKEN, ...testProvider() === 'postgresql' ? { ADMIN_DATABASE_URL: url } : {} })
  const loaded = await fetch(`${server.base}/admin/reset`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/yaml' },
    body: await readFile(VENDOR_SAMPLES, 'utf8')
  })
  t.equal(loaded.status, 200)
  t.match(await loaded.json(), { reset: true, added: { roamApiKeys: 2 } })
  const sample = await fetch(`${server.base}${roamUpdateSample.url}`, { method: 'PUT', headers: roamUpdateSample.headers, body: roamUpdateSample.payload })
  t.equal(sample.status, 200)
  const minted = await (await fetch(`${server.base}/admin/roam/keys`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{"account":"acme"}' })).json() as { api_key: string }
  t.equal((await fetch(`${server.base}/v1/api/user/`, { headers: { 'api-key': minted.api_key } })).status, 200)
  for (const secret of [TOKEN, minted.api_key, '63598c5b3aa84f14914013709402bbc9']) t.notOk(server.log().includes(secret), 'no secret in the log')
})

t.test('hostile YAML: tags that make no plain data, unknown tags (never printed), deep flow nesting and size are refused in one short answer', async (t) => {
  const app = await build(t, { admin: { token: TOKEN } })
  const yaml = (payload: string | Buffer) => adminOf(app)({ method: 'POST', url: '/admin/fixtures', headers: { 'content-type': 'application/yaml' }, payload })
  const warned: string[] = []
  const warn = console.warn
  const write = process.stderr.write.bind(process.stderr)
  console.warn = (...args: unknown[]) => { warned.push(args.join(' ')) }
  process.stderr.write = ((chunk: string) => { warned.push(String(chunk)); return true }) as typeof process.stderr.write
  t.teardown(() => { console.warn = warn; process.stderr.write = write })
  for (const [payload, message] of [
    ['!!omap [roam: {accounts: [{name: x}]}]', /only mappings, sequences, strings, numbers, booleans and null/],
    ['roam: !!set {a}', /only mappings, sequences/],
    [`plaspy: {accounts: [{name: x, users: !!binary ${Buffer.alloc(3000).toString('base64')}}]}`, /only mappings, sequences/],
    ['plaspy: {accounts: [{name: x, users: [{userName: u, apiKey: !secret SUPERSECRETKEY-123}]}]}', /Unresolved tag: !secret/],
    [`roam: ${'['.repeat(40)}${']'.repeat(40)}`, /collections nested deeper than 32 levels/],
    [`roam:\n${Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} 1`, /collections nested deeper than 32 levels/], // block nesting
    ['roam: {accounts: [{name: "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}]}', undefined] // inside quotes: no nesting
  ] as const) {
    const answer = await yaml(payload)
    if (message === undefined) {
      t.equal(answer.statusCode, 200, payload.slice(0, 40))
      continue
    }
    t.equal(answer.statusCode, 400, payload.slice(0, 40))
    t.match(answer.json().message, message)
    t.ok(answer.body.length < 500, 'one short answer')
  }
  t.notOk(warned.some((line) => line.includes('SUPERSECRETKEY')), 'the parser printed nothing of the document')
  const notUtf8 = await yaml(Buffer.concat([Buffer.from('roam: {accounts: [{name: a'), Buffer.from([0xc0, 0xaf]), Buffer.from('}]}')]))
  t.same([notUtf8.statusCode, notUtf8.json().message], [400, 'YAML body is not valid UTF-8.'], 'bytes that are not UTF-8: refused, not stored as U+FFFD')
  t.same(await rowCounts(app).then((counts) => counts.plaspyApiKeys), 0)

  const loaded = await yaml('roam: {accounts: [{name: first}]}\nroam: {accounts: [{name: second}]}')
  t.equal(loaded.statusCode, 200, 'a repeated key: the last one, as JSON.parse reads it (no pairwise search for duplicates)')
  t.equal(loaded.json().roamAccounts, 1)
  t.ok(await app.db.prisma.roamAccount.findUnique({ where: { name: 'second' } }))

  const large = await yaml(`roam: {accounts: [${Array.from({ length: 7000 }, (_, i) => `{name: account-${i}}`).join(', ')}]}`)
  t.same([large.statusCode, large.json().message], [413, 'A YAML body may be at most 128 KiB: send a larger document as JSON.'])
  const many = await adminOf(app)({ method: 'POST', url: '/admin/fixtures', payload: { roam: { accounts: Array.from({ length: 500 }, () => ({ name: '' })) } } })
  const lines = many.json().message.split('\n')
  t.same([many.statusCode, lines.length, lines.at(-1)], [400, 21, 'body: and 480 more problems'], 'the first twenty problems, then how many more')
})

t.test('a write that meets its tenant deleted meanwhile (a reset racing it) answers the dialect\'s 401, never 500; the reset succeeds', async (t) => {
  const app = await build(t, { admin: { token: TOKEN }, rateLimit: { failedAuthenticationMax: 1e6 } })
  const statuses = new Set<number>()
  for (let i = 0; i < 12; i++) {
    const login = (await adminOf(app)({ method: 'POST', url: '/admin/plaspy/users', payload: { account: 'acme', userName: `racer${i}`, email: `racer${i}@example.com` } })).json()
    const { token } = (await app.inject({ method: 'POST', url: '/api/Auth/Token', payload: { userName: `racer${i}`, apiKey: login.api_key } })).json()
    const roam = (await adminOf(app)({ method: 'POST', url: '/admin/roam/keys', payload: { account: 'acme' } })).json()
    // The password is hashed between authentication and the insert: the reset lands in that gap.
    const [plaspy, roamCreate, reset] = await Promise.all([
      app.inject({ method: 'POST', url: '/api/users', headers: { authorization: `Bearer ${token}` }, payload: { name: 'R', email: `r${i}@example.com`, country: 'US', timeZone: 'UTC', password: 'correct horse battery' } }),
      app.inject({ method: 'POST', url: '/v1/api/group/', headers: { 'api-key': roam.api_key }, payload: { description: 'g' } }),
      new Promise((resolve) => setTimeout(resolve, i % 4)).then(() => adminOf(app)({ method: 'POST', url: '/admin/reset' }))
    ])
    for (const answer of [plaspy, roamCreate, reset]) statuses.add(answer.statusCode)
    if (plaspy.statusCode === 401) t.same(plaspy.json().success, false)
  }
  t.notOk([...statuses].some((status) => status >= 500), `statuses seen: ${[...statuses].join(', ')}`)
})

t.test('Admin writes racing a reset or a delete: made anew, or 404 for a user gone; loads and resets all succeed; never 500', async (t) => {
  const app = await build(t, { admin: { token: TOKEN }, rateLimit: { failedAuthenticationMax: 1e6 } })
  const admin = adminOf(app)
  const samples = { headers: { 'content-type': 'application/yaml' }, payload: await readFile(VENDOR_SAMPLES, 'utf8') }
  const reset = () => admin({ method: 'POST', url: '/admin/reset' })
  const statuses = new Map<string, Set<number>>()
  const race = async (name: string, ...requests: Array<Promise<{ statusCode: number }>>) => {
    for (const { statusCode } of await Promise.all(requests)) statuses.set(name, (statuses.get(name) ?? new Set()).add(statusCode))
  }
  for (let i = 0; i < 8; i++) {
    await admin({ method: 'POST', url: '/admin/reset', ...samples })
    const writer = await plaspyClient(app, { accountName: 'plaspy-docs' })
    const leaving = (await admin({ method: 'POST', url: '/admin/plaspy/users', payload: { account: 'plaspy-docs', userName: `leaving${i}`, email: `leaving${i}@example.com` } })).json()
    // Before: the account vanished between the statements that make a key or a login (500), a regenerated key
    // lost its user to a foreign key (500), and a reset deadlocked with a load three times running (500).
    await race('key and login', reset(), admin({ method: 'POST', url: '/admin/roam/keys', payload: { account: 'roam-docs' } }),
      admin({ method: 'POST', url: '/admin/plaspy/users', payload: { account: 'plaspy-docs', userName: `new${i}`, email: `new${i}@example.com` } }))
    await Promise.all([race('delete', writer.inject({ method: 'DELETE', url: `/api/users/${leaving.user_id}` })), race('regenerated key', admin({ method: 'POST', url: `/admin/plaspy/users/leaving${i}/key` }))])
    await race('loads', reset(), admin({ method: 'POST', url: '/admin/fixtures', ...samples }), admin({ method: 'POST', url: '/admin/fixtures', ...samples }), reset())
  }
  t.same(Object.fromEntries([...statuses].map(([name, seen]) => [name, [...seen].filter((status) => status >= 500)])),
    { 'key and login': [], delete: [], 'regenerated key': [], loads: [] }, 'no 5xx')
  t.ok([...statuses.get('regenerated key')!].every((status) => [200, 404].includes(status)), 'a key for a user gone: 404')
})
