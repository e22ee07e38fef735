// Out-of-process conformance: the real server (as `npm start` runs it) behind `prism proxy --errors`, which checks
// every answer against openapi.yaml. The happy path of every operation and the bad-input cases (authentication,
// other tenants, mass assignment, types and sizes, media types, malformed bodies, rate limits) go through Prism; a
// violation fails the test whether Prism reports it in the answer (500 with `validation`, or an `sl-violations`
// header) or only in its log ("Violation: …", "Unable to match the returned status code"). Prism answers some
// requests itself instead of forwarding them (no credentials, a bearer scheme not spelled "Bearer", malformed JSON,
// a header block over Node's limit): those go straight to the server, and their answers are checked against the
// same spec here.
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import t from 'tap'
import { operations } from '../generated/schemas.js'
import { testDatabaseUrl, testProvider } from './helpers/database.js'
import { vendorCreate, vendorPut } from './helpers/plaspy.js'
import { vendorUpdate } from './helpers/roam.js'
import { startPrism } from './helpers/prism.js'
import { mint } from './helpers/command.js'
import { startServer } from './helpers/server.js'

type OperationId = keyof typeof operations

t.setTimeout(180_000) // a server, Prism and nine CLI runs on a shared 2-core machine

// Reached in a hundred requests at the end; above what any one credential, or failed authentication, uses before.
const RATE_LIMIT_MAX = 100

const ADMIN_TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f0f1e2d3c4b5a6978'

// What Prism says, in its log, when an answer breaks the contract or when it answered a request itself.
const prismComplaint = /Violation|Unable to match|VIOLATIONS|terminated with error/i

interface Request {
  method?: string
  path: string
  headers?: Record<string, string>
  /** An object is sent as JSON; a string or bytes as they are. */
  body?: unknown
}

interface Answer {
  status: number
  headers: Headers
  text: string
  json: any // checked field by field where it matters; Prism (or Ajv, for direct cases) checks its shape
}

async function send (base: string, { method = 'GET', path, headers = {}, body }: Request): Promise<Answer> {
  const raw = typeof body === 'string' || body instanceof Uint8Array
  const response = await fetch(base + path, {
    method,
    headers: body === undefined || raw ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : raw ? body as string | Uint8Array : JSON.stringify(body),
    redirect: 'manual' // a redirect is an answer to check, not one to follow
  })
  const text = await response.text()
  let json: unknown
  try { json = JSON.parse(text) } catch { json = undefined }
  return { status: response.status, headers: response.headers, text, json }
}

/** Ajv over the operations table (the spec's own schemas) for the answers Prism cannot see. */
function responseValidator () {
  const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true })
  addFormats.default(ajv)
  return (operation: OperationId, status: number, body: unknown): string | undefined => {
    const schema = (operations[operation].schema.response as Record<string, object>)[String(status)]
    if (schema === undefined) return `status ${status} is not declared for ${operation}`
    const validate = ajv.compile(schema)
    return validate(body) ? undefined : ajv.errorsText(validate.errors)
  }
}

/** Two tenants of each dialect; a Roam key revoked, one to throttle; Plaspy users to restrict and to revoke. */
async function mintCredentials (databaseUrl: string) {
  const roamKey = (account: string) => mint(databaseUrl, 'roam-key', 'create', '--account', account)
  const plaspyUser = (account: string, user: string) => mint(databaseUrl, 'plaspy-user', 'create', '--account', account, '--user', user, '--email', `${user}@example.com`)
  const roamRevoked = await roamKey('acme')
  await mint(databaseUrl, 'roam-key', 'revoke', roamRevoked.key_id)
  return {
    roamA: await roamKey('acme'),
    roamB: await roamKey('other'),
    roamRevoked,
    roamBusy: await roamKey('busy'),
    jane: await plaspyUser('acme', 'jane'),
    bob: await plaspyUser('other', 'bob'),
    reader: await plaspyUser('acme', 'reader'),
    gone: await plaspyUser('acme', 'gone')
  }
}

const roamUserInvalid = (details: unknown) => ({ status: false, code: 400, error: { ErrorCode: 'GS402', details } })
const roamUnknownUser = { status: false, code: 400, error: { ErrorCode: 'GS400', details: 'User does not exist.' } }
const today = new Date().toISOString().slice(0, 10)

t.test('every operation and the bad-input cases pass through prism proxy without a violation', async (t) => {
  const databaseUrl = await testDatabaseUrl(t)
  const server = await startServer(t, {
    DATABASE_URL: databaseUrl,
    RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
    ADMIN_TOKEN,
    ...testProvider() === 'postgresql' ? { ADMIN_DATABASE_URL: databaseUrl } : {} // the owner's login writes keys
  })
  // A reset empties every table, so it goes first, straight to the server (its answer is checked below).
  const emptied = await send(server.base, { method: 'POST', path: '/admin/reset', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })
  // Prism takes seconds to start: the credentials are minted meanwhile, one CLI run at a time.
  const [prism, { roamA, roamB, roamRevoked, roamBusy, jane, bob, reader, gone }] = await Promise.all([
    startPrism(t, server.base),
    mintCredentials(databaseUrl)
  ])
  const validate = responseValidator()

  const counts = { prism: 0, direct: 0, violations: 0 }
  const succeeded = new Set<string>()

  /** One request through Prism: the expected status, and no violation in the answer. */
  async function replay (operation: OperationId, name: string, request: Request, status: number): Promise<Answer> {
    const answer = await send(prism.base, request).catch((error: Error) => {
      throw new Error(`${error.message}: is Prism still up? Its log ends with:\n${prism.log().slice(-3000)}`, { cause: error })
    })
    counts.prism++
    const violations = answer.headers.get('sl-violations') ?? (answer.json?.validation ? JSON.stringify(answer.json.validation) : undefined)
    if (violations !== undefined) counts.violations++
    t.equal(violations, undefined, `${operation} ${name}: no violation`)
    t.equal(answer.status, status, `${operation} ${name}: ${status}${answer.status === status ? '' : ` (got ${answer.text.slice(0, 300)})`}`)
    if (answer.status === status && status < 300) succeeded.add(operation)
    return answer
  }

  /** One request straight to the server, for what Prism would answer itself; its answer checked against the spec. */
  async function direct (operation: OperationId, name: string, request: Request, status: number): Promise<Answer> {
    const answer = await send(server.base, request)
    counts.direct++
    t.equal(answer.status, status, `${operation} ${name} (direct): ${status}${answer.status === status ? '' : ` (got ${answer.text.slice(0, 300)})`}`)
    const problem = validate(operation, answer.status, answer.text === '' ? null : answer.json) // no content: the generator's type null
    if (problem !== undefined) counts.violations++
    t.equal(problem, undefined, `${operation} ${name} (direct): the answer matches the spec`)
    return answer
  }

  const keyA = { 'Api-Key': roamA.api_key }
  const keyB = { 'Api-Key': roamB.api_key }

  // ---------------------------------------------------------------------------------------------- Roam
  const vendorUser = { app_type: 1, device_token: 'your-device-token', description: 'device description', metadata: {} }
  const created = await replay('roamCreateUser', 'vendor sample', { method: 'POST', path: '/v1/api/user/', headers: keyA, body: vendorUser }, 201)
  const userA: string = created.json.data.user_id
  const doomed: string = (await replay('roamCreateUser', 'minimal', { method: 'POST', path: '/v1/api/user/', headers: keyA, body: { app_type: 2, device_token: 't' } }, 201)).json.data.user_id
  const userB: string = (await replay('roamCreateUser', 'other tenant', { method: 'POST', path: '/v1/api/user/', headers: keyB, body: { app_type: 1, device_token: 't' } }, 201)).json.data.user_id
  await replay('roamListUsers', 'by dates', { path: `/v1/api/user/?start_date=${today}&end_date=${today}`, headers: keyA }, 200)
  await replay('roamListUsers', 'by user_id', { path: `/v1/api/user/?user_id=${userA}`, headers: keyA }, 200)
  await replay('roamListUsers', 'in a time zone, a page past the last', { path: `/v1/api/user/?start_date=2020-01-01&end_date=${today}&timezone_offset=Asia/Kolkata&page_number=3`, headers: keyA }, 200)
  const updated = await replay('roamUpdateUser', 'vendor sample', { method: 'PUT', path: '/v1/api/user/', headers: { 'APi-Key': roamA.api_key }, body: { user_id: userA, ...vendorUpdate } }, 200)
  t.match(updated.json.data, { id: userA, description: 'ROAM111', metadata: { name: 'ROAM123' } })
  await replay('roamUpdateUser', 'charset parameter', { method: 'PUT', path: '/v1/api/user/', headers: { ...keyA, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ user_id: userA }) }, 200)
  await replay('roamUpdateUser', 'media type in capitals', { method: 'PUT', path: '/v1/api/user/', headers: { ...keyA, 'content-type': 'Application/JSON' }, body: JSON.stringify({ user_id: userA }) }, 200)
  const group: string = (await replay('roamCreateGroup', 'vendor sample', { method: 'POST', path: '/v1/api/group/', headers: keyA, body: { description: 'test user' } }, 201)).json.data.group_id
  await replay('roamCreateGroup', 'empty object', { method: 'POST', path: '/v1/api/group/', headers: keyA, body: {} }, 201)
  await replay('roamAddUsersToGroup', 'vendor sample', { method: 'POST', path: '/v1/api/group/user/', headers: keyA, body: { group_id: group, users: [userA] } }, 201)
  await replay('roamListUsers', 'by group', { path: `/v1/api/user/?start_date=${today}&end_date=${today}&group_id=${group}`, headers: keyA }, 200)
  await replay('roamDeleteUser', 'a user', { method: 'DELETE', path: `/v1/api/user/?user_id=${doomed}`, headers: keyA }, 200)

  // A: authentication. Prism answers a request with no Api-Key itself, so those go to the server.
  await direct('roamUpdateUser', 'no Api-Key', { method: 'PUT', path: '/v1/api/user/', body: { user_id: userA } }, 401)
  await direct('roamListUsers', 'the key in the query string', { path: `/v1/api/user/?api_key=${roamA.api_key}&user_id=${userA}` }, 401)
  const unknownKey = await replay('roamUpdateUser', 'unknown key of the right shape', { method: 'PUT', path: '/v1/api/user/', headers: { 'Api-Key': 'f'.repeat(32) }, body: { user_id: userA } }, 401)
  const revoked = await replay('roamUpdateUser', 'revoked key', { method: 'PUT', path: '/v1/api/user/', headers: { 'Api-Key': roamRevoked.api_key }, body: { user_id: userA } }, 401)
  t.same(revoked.json, unknownKey.json, 'a revoked key answers like an unknown one')
  await replay('roamListUsers', 'header name in capitals', { path: `/v1/api/user/?user_id=${userA}`, headers: { 'API-KEY': roamA.api_key } }, 200)

  // B: another tenant's user answers exactly like a user that does not exist.
  const missing = '0'.repeat(24)
  const foreign = await replay('roamUpdateUser', 'another tenant\'s user', { method: 'PUT', path: '/v1/api/user/', headers: keyA, body: { user_id: userB, description: 'x' } }, 400)
  const nowhere = await replay('roamUpdateUser', 'an unknown user', { method: 'PUT', path: '/v1/api/user/', headers: keyA, body: { user_id: missing, description: 'x' } }, 400)
  t.match(foreign.json, roamUnknownUser)
  t.same(foreign.json, nowhere.json, 'another tenant\'s user answers like a missing one')
  await replay('roamUpdateUser', 'a deleted user', { method: 'PUT', path: '/v1/api/user/', headers: keyA, body: { user_id: doomed } }, 400)
  await replay('roamListUsers', 'another tenant\'s user', { path: `/v1/api/user/?user_id=${userB}`, headers: keyA }, 400)
  await replay('roamDeleteUser', 'another tenant\'s user', { method: 'DELETE', path: `/v1/api/user/?user_id=${userB}`, headers: keyA }, 400)
  await replay('roamDeleteUser', 'twice', { method: 'DELETE', path: `/v1/api/user/?user_id=${doomed}`, headers: keyA }, 400)
  await replay('roamAddUsersToGroup', 'another tenant\'s user', { method: 'POST', path: '/v1/api/group/user/', headers: keyA, body: { group_id: group, users: [userB] } }, 400)
  await replay('roamAddUsersToGroup', 'from another tenant into this group', { method: 'POST', path: '/v1/api/group/user/', headers: keyB, body: { group_id: group, users: [userB] } }, 400)

  // C: fields the client may not write are ignored; the answer stays the key's.
  const smuggled = await replay('roamUpdateUser', 'server-owned fields', {
    method: 'PUT', path: '/v1/api/user/', headers: keyA, body: { user_id: userA, id: missing, account_id: missing, is_deleted: true, created_at: '2000-01-01T00:00:00.000' }
  }, 200)
  t.match(smuggled.json.data, { id: userA, account_id: roamA.account_id, is_deleted: false })

  // D: types, sizes, media types, malformed bodies.
  await replay('roamUpdateUser', 'user_id of the wrong type', { method: 'PUT', path: '/v1/api/user/', headers: keyA, body: { user_id: 5 } }, 400)
  await replay('roamUpdateUser', 'invalid, with a charset parameter', { method: 'PUT', path: '/v1/api/user/', headers: { ...keyA, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ user_id: 5 }) }, 400)
  await replay('roamUpdateUser', 'boolean as a string', { method: 'PUT', path: '/v1/api/user/', headers: keyA, body: { user_id: userA, trips_events: 'true' } }, 400)
  await replay('roamUpdateUser', 'no user_id', { method: 'PUT', path: '/v1/api/user/', headers: keyA, body: { description: 'x' } }, 400)
  await replay('roamUpdateUser', 'an array body', { method: 'PUT', path: '/v1/api/user/', headers: keyA, body: [] }, 400)
  const tooLong = await replay('roamUpdateUser', 'description too long', { method: 'PUT', path: '/v1/api/user/', headers: keyA, body: { user_id: userA, description: 'x'.repeat(1001) } }, 400)
  t.match(tooLong.json, roamUserInvalid({ description: ['Ensure this field has no more than 1000 characters.'] }))
  const manyKeys = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']))
  await replay('roamUpdateUser', 'metadata with 51 keys', { method: 'PUT', path: '/v1/api/user/', headers: keyA, body: { user_id: userA, metadata: manyKeys } }, 400)
  await replay('roamUpdateUser', 'nested metadata', { method: 'PUT', path: '/v1/api/user/', headers: keyA, body: { user_id: userA, metadata: { a: { b: { c: 1 } } } } }, 400)
  await replay('roamCreateUser', 'app_type out of range', { method: 'POST', path: '/v1/api/user/', headers: keyA, body: { app_type: 3, device_token: 't' } }, 400)
  await replay('roamCreateUser', 'device_token too long', { method: 'POST', path: '/v1/api/user/', headers: keyA, body: { app_type: 1, device_token: 'x'.repeat(4097) } }, 400)
  await replay('roamCreateGroup', 'description of the wrong type', { method: 'POST', path: '/v1/api/group/', headers: keyA, body: { description: 5 } }, 400)
  await replay('roamAddUsersToGroup', 'no users', { method: 'POST', path: '/v1/api/group/user/', headers: keyA, body: { group_id: group, users: [] } }, 400)
  await replay('roamListUsers', 'no dates: the whole project', { path: '/v1/api/user/', headers: keyA }, 200)
  await replay('roamListUsers', 'end_date alone', { path: `/v1/api/user/?end_date=${today}`, headers: keyA }, 400)
  await replay('roamListUsers', 'an impossible day', { path: '/v1/api/user/?start_date=2021-02-30&end_date=2021-03-01', headers: keyA }, 400)
  await replay('roamListUsers', 'end before start', { path: '/v1/api/user/?start_date=2021-03-02&end_date=2021-03-01', headers: keyA }, 400)
  await replay('roamListUsers', 'an unknown time zone', { path: `/v1/api/user/?start_date=${today}&end_date=${today}&timezone_offset=Mars/Olympus`, headers: keyA }, 400)
  await replay('roamListUsers', 'page 0', { path: `/v1/api/user/?start_date=${today}&end_date=${today}&page_number=0`, headers: keyA }, 400)
  await replay('roamDeleteUser', 'a malformed id', { method: 'DELETE', path: '/v1/api/user/?user_id=zzz', headers: keyA }, 400)
  await replay('roamUpdateUser', 'an empty JSON body', { method: 'PUT', path: '/v1/api/user/', headers: { ...keyA, 'content-type': 'application/json' }, body: '' }, 400)
  await replay('roamUpdateUser', '__proto__', { method: 'PUT', path: '/v1/api/user/', headers: { ...keyA, 'content-type': 'application/json' }, body: `{"user_id":"${userA}","__proto__":{"x":1}}` }, 400)
  await replay('roamUpdateUser', 'constructor.prototype', { method: 'PUT', path: '/v1/api/user/', headers: { ...keyA, 'content-type': 'application/json' }, body: `{"user_id":"${userA}","constructor":{"prototype":{"x":1}}}` }, 400)
  await direct('roamUpdateUser', 'malformed JSON', { method: 'PUT', path: '/v1/api/user/', headers: { ...keyA, 'content-type': 'application/json' }, body: '{"user_id":' }, 400)
  await direct('roamUpdateUser', 'a null body', { method: 'PUT', path: '/v1/api/user/', headers: { ...keyA, 'content-type': 'application/json' }, body: 'null' }, 400)
  await replay('roamUpdateUser', 'a body over the limit', { method: 'PUT', path: '/v1/api/user/', headers: keyA, body: { user_id: userA, description: 'x'.repeat(70_000) } }, 413)
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
    await replay('roamUpdateUser', `Content-Type ${type}`, { method: 'PUT', path: '/v1/api/user/', headers: { ...keyA, 'content-type': type }, body: 'user_id=1' }, 415)
  }
  await replay('roamCreateUser', 'no Content-Type', { method: 'POST', path: '/v1/api/user/', headers: keyA, body: new TextEncoder().encode('{"app_type":1}') }, 415)
  await direct('roamListUsers', 'a header block over 16 KiB', { path: `/v1/api/user/?user_id=${userA}`, headers: { ...keyA, 'x-padding': 'x'.repeat(20_000) } }, 431)
  const [mine] = (await replay('roamListUsers', 'the user, after every refusal', { path: `/v1/api/user/?user_id=${userA}`, headers: keyA }, 200)).json.data.users
  t.match(mine, { id: userA, description: smuggled.json.data.description, trips_events: false, is_deleted: false }, 'refused requests changed nothing')
  const [theirs] = (await replay('roamListUsers', 'the other tenant\'s user', { path: `/v1/api/user/?user_id=${userB}`, headers: keyB }, 200)).json.data.users
  t.equal(theirs.description, null, 'another tenant\'s user is untouched')

  // ------------------------------------------------------------------------------------------- Plaspy
  const token = async (login: { userName: string, api_key: string }) =>
    (await replay('plaspyCreateToken', `for ${login.userName}`, { method: 'POST', path: '/api/Auth/Token', body: { userName: login.userName, apiKey: login.api_key } }, 200)).json.token as string
  const bearer = (value: string) => ({ Authorization: `Bearer ${value}` })
  const asJane = bearer(await token(jane))
  const asBob = bearer(await token(bob))
  await replay('plaspyCreateToken', 'by email', { method: 'POST', path: '/api/Auth/Token', body: { userName: 'jane@example.com', apiKey: jane.api_key } }, 200)

  const john: string = (await replay('plaspyCreateUser', 'vendor sample', { method: 'POST', path: '/api/users', headers: asJane, body: vendorCreate }, 201)).json.id
  const temp: string = (await replay('plaspyCreateUser', 'minimal', { method: 'POST', path: '/api/users', headers: asJane, body: { name: 'Tmp', email: 'tmp@example.com', country: 'US', timeZone: 'UTC' } }, 201)).json.id
  const bobsUser: string = (await replay('plaspyCreateUser', 'other tenant', { method: 'POST', path: '/api/users', headers: asBob, body: { name: 'B', email: 'b@example.com', country: 'US', timeZone: 'UTC' } }, 201)).json.id
  await replay('plaspyListUsers', 'the account', { path: '/api/users', headers: asJane }, 200)
  await replay('plaspyListCountries', 'all', { path: '/api/users/countries', headers: asJane }, 200)
  await replay('plaspyListTimeZones', 'all', { path: '/api/users/timeZones', headers: asJane }, 200)
  await replay('plaspyGetUser', 'a user', { path: `/api/users/${john}`, headers: asJane }, 200)
  const seedPut = vendorPut
  const put = await replay('plaspyUpdateUser', 'vendor sample', { method: 'PUT', path: `/api/users/${john}`, headers: asJane, body: seedPut }, 200)
  t.match(put.json, { id: john, name: 'Jane Doe', password: null })
  await replay('plaspyPatchUser', 'json-patch+json', {
    method: 'PATCH',
    path: `/api/users/${john}`,
    headers: { ...asJane, 'content-type': 'application/json-patch+json' },
    body: JSON.stringify([{ op: 'replace', path: '/email', value: 'nuevo_email@example.com' }, { op: 'add', path: '/tags', value: { vip: 'true' } }])
  }, 200)
  await replay('plaspyPatchUser', 'application/json, guarded', { method: 'PATCH', path: `/api/users/${john}`, headers: asJane, body: [{ op: 'test', path: '/group', value: 'Marketing' }, { op: 'remove', path: '/description' }] }, 200)
  await replay('plaspyDeleteUser', 'a user', { method: 'DELETE', path: `/api/users/${temp}`, headers: asJane }, 200)
  await direct('plaspyGetUser', 'lower-case bearer', { path: `/api/users/${john}`, headers: { authorization: asJane.Authorization.replace('Bearer', 'bearer') } }, 200)

  // A: authentication.
  await direct('plaspyListUsers', 'no Authorization', { path: '/api/users' }, 401)
  await direct('plaspyListUsers', 'Basic credentials', { path: '/api/users', headers: { Authorization: 'Basic amFuZTpzZWNyZXQ=' } }, 401)
  await direct('plaspyListUsers', 'Bearer without a token', { path: '/api/users', headers: { Authorization: 'Bearer' } }, 401)
  await direct('plaspyListUsers', 'the token in the query string', { path: `/api/users?access_token=${asJane.Authorization.slice(7)}` }, 401)
  await replay('plaspyListUsers', 'two tokens', { path: '/api/users', headers: { Authorization: 'Bearer a b' } }, 401)
  await replay('plaspyListUsers', 'an unknown token', { path: '/api/users', headers: bearer('x'.repeat(43)) }, 401)
  await replay('plaspyCreateToken', 'a wrong key', { method: 'POST', path: '/api/Auth/Token', body: { userName: 'jane', apiKey: 'x'.repeat(32) } }, 401)
  await replay('plaspyCreateToken', 'an unknown user', { method: 'POST', path: '/api/Auth/Token', body: { userName: 'nobody', apiKey: jane.api_key } }, 401)
  await replay('plaspyCreateToken', 'no apiKey', { method: 'POST', path: '/api/Auth/Token', body: { userName: 'jane' } }, 400)
  await replay('plaspyCreateToken', 'userName too long', { method: 'POST', path: '/api/Auth/Token', body: { userName: 'x'.repeat(255), apiKey: 'k' } }, 400)
  await replay('plaspyCreateToken', 'text/plain', { method: 'POST', path: '/api/Auth/Token', headers: { 'content-type': 'text/plain' }, body: 'jane' }, 415)
  await replay('plaspyCreateToken', 'a body over the limit', { method: 'POST', path: '/api/Auth/Token', body: { userName: 'jane', apiKey: 'x'.repeat(70_000) } }, 413)
  await direct('plaspyCreateToken', 'malformed JSON', { method: 'POST', path: '/api/Auth/Token', headers: { 'content-type': 'application/json' }, body: '{"userName":' }, 400)
  const asGone = bearer(await token(gone))
  await mint(databaseUrl, 'plaspy-user', 'key', 'revoke', '--user', 'gone')
  await replay('plaspyListUsers', 'a token of a revoked key', { path: '/api/users', headers: asGone }, 401)
  await replay('plaspyCreateToken', 'a revoked key', { method: 'POST', path: '/api/Auth/Token', body: { userName: 'gone', apiKey: gone.api_key } }, 401)

  // Privileges: a read-only user reads, and is refused every change.
  await replay('plaspyUpdateUser', 'make reader read-only', { method: 'PUT', path: `/api/users/${reader.user_id}`, headers: asJane, body: { name: 'reader', email: 'reader@example.com', country: 'US', timeZone: 'UTC', privileges: ['read'] } }, 200)
  const asReader = bearer(await token(reader))
  await replay('plaspyGetUser', 'read-only user', { path: `/api/users/${john}`, headers: asReader }, 200)
  await replay('plaspyUpdateUser', 'read-only user', { method: 'PUT', path: `/api/users/${john}`, headers: asReader, body: seedPut }, 403)
  await replay('plaspyDeleteUser', 'read-only user', { method: 'DELETE', path: `/api/users/${john}`, headers: asReader }, 403)
  await replay('plaspyCreateUser', 'read-only user', { method: 'POST', path: '/api/users', headers: asReader, body: vendorCreate }, 403)

  // B: another tenant's user answers exactly like a user that does not exist, for every verb.
  const unknownId = 'usr-0000000000000000'
  const withoutUsage = ({ apiUsage, apiDailyUsage, ...rest }: Record<string, unknown>) => rest
  for (const [verb, body] of [['GET', undefined], ['PUT', seedPut], ['PATCH', [{ op: 'replace', path: '/name', value: 'x' }]], ['DELETE', undefined]] as const) {
    const operation = ({ GET: 'plaspyGetUser', PUT: 'plaspyUpdateUser', PATCH: 'plaspyPatchUser', DELETE: 'plaspyDeleteUser' } as const)[verb]
    const foreignUser = await replay(operation, 'another tenant\'s user', { method: verb, path: `/api/users/${bobsUser}`, headers: asJane, body }, 404)
    const unknownUser = await replay(operation, 'an unknown user', { method: verb, path: `/api/users/${unknownId}`, headers: asJane, body }, 404)
    t.same(withoutUsage(foreignUser.json), withoutUsage(unknownUser.json), `${verb}: another tenant's user answers like a missing one`)
  }

  // C and D: conflicts, invalid values, sizes, media types, malformed bodies, long ids.
  await replay('plaspyCreateUser', 'an email in use', { method: 'POST', path: '/api/users', headers: asJane, body: { ...vendorCreate, email: 'jane@example.com' } }, 409)
  const lastWrite = await replay('plaspyUpdateUser', 'server-owned fields ignored', { method: 'PUT', path: `/api/users/${john}`, headers: asJane, body: { ...seedPut, id: 'usr-1', success: false, apiUsage: 9 } }, 200)
  t.equal(lastWrite.json.id, john)
  const invalid: Array<[string, Record<string, unknown>]> = [
    ['no name', { name: undefined }], ['name too long', { name: 'x'.repeat(101) }], ['an invalid email', { email: 'not an email' }],
    ['an unknown country', { country: 'Atlantis' }], ['an unknown time zone', { timeZone: 'Mars/Olympus' }],
    ['a short password', { password: 'short' }], ['a password too long', { password: 'x'.repeat(129) }],
    ['an unknown privilege', { privileges: ['admin'] }], ['tags with 51 keys', { tags: manyKeys }], ['a numeric tag', { tags: { a: 1 } }],
    ['adminDevices as a string', { adminDevices: '2' }], ['expires before from', { from: '2024-01-01T00:00:00Z', expires: '2023-01-01T00:00:00Z' }]
  ]
  for (const [name, change] of invalid) {
    await replay('plaspyUpdateUser', name, { method: 'PUT', path: `/api/users/${john}`, headers: asJane, body: { ...seedPut, ...change } }, 400)
  }
  await replay('plaspyCreateUser', 'an array body', { method: 'POST', path: '/api/users', headers: asJane, body: [] }, 400)
  await replay('plaspyPatchUser', 'a server-owned path', { method: 'PATCH', path: `/api/users/${john}`, headers: asJane, body: [{ op: 'replace', path: '/id', value: 'usr-1' }] }, 400)
  await replay('plaspyPatchUser', 'a failing test', { method: 'PATCH', path: `/api/users/${john}`, headers: asJane, body: [{ op: 'test', path: '/name', value: 'nobody' }] }, 400)
  await replay('plaspyPatchUser', 'an unknown op', { method: 'PATCH', path: `/api/users/${john}`, headers: asJane, body: [{ op: 'merge', path: '/name', value: 'x' }] }, 400)
  await replay('plaspyPatchUser', 'not an array', { method: 'PATCH', path: `/api/users/${john}`, headers: asJane, body: { op: 'replace' } }, 400)
  await replay('plaspyPatchUser', 'removing a required field', { method: 'PATCH', path: `/api/users/${john}`, headers: asJane, body: [{ op: 'remove', path: '/email' }] }, 400)
  await replay('plaspyDeleteUser', 'its own user', { method: 'DELETE', path: `/api/users/${jane.user_id}`, headers: asJane }, 400)
  await replay('plaspyUpdateUser', 'an empty JSON body', { method: 'PUT', path: `/api/users/${john}`, headers: { ...asJane, 'content-type': 'application/json' }, body: '' }, 400)
  await replay('plaspyUpdateUser', '__proto__', { method: 'PUT', path: `/api/users/${john}`, headers: { ...asJane, 'content-type': 'application/json' }, body: JSON.stringify(seedPut).replace('{', '{"__proto__":{"x":1},') }, 400)
  await direct('plaspyUpdateUser', 'malformed JSON', { method: 'PUT', path: `/api/users/${john}`, headers: { ...asJane, 'content-type': 'application/json' }, body: '{"name":' }, 400)
  await replay('plaspyUpdateUser', 'a body over the limit', { method: 'PUT', path: `/api/users/${john}`, headers: asJane, body: { ...seedPut, description: 'x'.repeat(70_000) } }, 413)
  await replay('plaspyUpdateUser', 'text/plain', { method: 'PUT', path: `/api/users/${john}`, headers: { ...asJane, 'content-type': 'text/plain' }, body: 'name=x' }, 415)
  await replay('plaspyPatchUser', 'application/merge-patch+json', { method: 'PATCH', path: `/api/users/${john}`, headers: { ...asJane, 'content-type': 'application/merge-patch+json' }, body: '{"name":"x"}' }, 415)
  await replay('plaspyGetUser', 'an id over the parameter\'s 64 characters', { path: `/api/users/usr-${'0'.repeat(70)}`, headers: asJane }, 400)
  await replay('plaspyGetUser', 'an id over 100 characters', { path: `/api/users/${'a'.repeat(200)}`, headers: asJane }, 414)
  await direct('plaspyListUsers', 'a header block over 16 KiB', { path: '/api/users', headers: { ...asJane, 'x-padding': 'x'.repeat(20_000) } }, 431)
  const after = await replay('plaspyGetUser', 'the user, after every refusal', { path: `/api/users/${john}`, headers: asJane }, 200)
  t.same(withoutUsage(after.json), withoutUsage(lastWrite.json), 'refused requests changed nothing')

  // ------------------------------------------------------------------------------------------------ Admin
  t.equal(emptied.status, 200, 'adminReset, before anything else (direct)')
  t.equal(validate('adminReset', emptied.status, emptied.json), undefined, 'adminReset (direct): the answer matches the spec')
  succeeded.add('adminReset')
  const admin = bearer(ADMIN_TOKEN)
  const fixture = { roam: { accounts: [{ name: 'fixtures', projects: [{ api_keys: ['prism-fixture-key-1'], users: [{ app_type: 1, device_token: 'd' }] }] }] } }
  await replay('adminSeed', 'a document', { method: 'POST', path: '/admin/fixtures', headers: admin, body: fixture }, 200)
  await replay('adminSeed', 'a bad document', { method: 'POST', path: '/admin/fixtures', headers: admin, body: { roam: { accounts: [{}] } } }, 400)
  await replay('adminSeed', 'a wrong token', { method: 'POST', path: '/admin/fixtures', headers: bearer('x'.repeat(48)), body: fixture }, 401)
  await direct('adminSeed', 'no token', { method: 'POST', path: '/admin/fixtures', body: fixture }, 401)
  const adminKey = (await replay('adminCreateRoamKey', 'a new project', { method: 'POST', path: '/admin/roam/keys', headers: admin, body: { account: 'admin-made' } }, 201)).json
  await replay('adminListRoamKeys', 'an account', { path: '/admin/roam/accounts/admin-made/keys', headers: admin }, 200)
  await replay('adminListRoamKeys', 'no such account', { path: '/admin/roam/accounts/nobody/keys', headers: admin }, 404)
  await replay('adminRevokeRoamKey', 'a key', { method: 'DELETE', path: `/admin/roam/keys/${adminKey.key_id}`, headers: admin }, 200)
  await replay('adminCreatePlaspyLogin', 'a user', { method: 'POST', path: '/admin/plaspy/users', headers: admin, body: { account: 'admin-made', userName: 'admin-made', email: 'admin-made@example.com' } }, 201)
  await replay('adminCreatePlaspyLogin', 'the same user', { method: 'POST', path: '/admin/plaspy/users', headers: admin, body: { account: 'admin-made', userName: 'admin-made', email: 'admin-made@example.com' } }, 409)
  await replay('adminRegeneratePlaspyKey', 'a user', { method: 'POST', path: '/admin/plaspy/users/admin-made/key', headers: admin }, 200)
  await replay('adminGetPlaspyUsage', 'a user', { path: '/admin/plaspy/users/jane/usage', headers: admin }, 200)
  await replay('adminRevokePlaspyKeys', 'a user', { method: 'DELETE', path: '/admin/plaspy/users/admin-made/key', headers: admin }, 200)
  await replay('adminRevokePlaspyKeys', 'no such user', { method: 'DELETE', path: '/admin/plaspy/users/nobody/key', headers: admin }, 404)
  await replay('adminSeed', 'a body over 1 MiB', { method: 'POST', path: '/admin/fixtures', headers: admin, body: { roam: { accounts: [{ name: 'x'.repeat(1100 * 1024) }] } } }, 413)
  await replay('adminSeed', 'text/plain', { method: 'POST', path: '/admin/fixtures', headers: { ...admin, 'content-type': 'text/plain' }, body: 'x' }, 415)

  // ------------------------------------------------------------------------------------------- Operations
  // Prism's proxy follows a redirect itself (and then meets /docs, no operation): this one goes direct.
  const root = await direct('getRoot', 'the docs', { path: '/' }, 302)
  t.equal(root.headers.get('location'), '/docs')
  succeeded.add('getRoot')
  await replay('getHealth', 'up', { path: '/healthz' }, 200)
  await replay('getReadiness', 'ready', { path: '/readyz' }, 200)
  await replay('getMetrics', 'text', { path: '/metrics' }, 200)

  // E: rate limits, last, because the failed-authentication limit then shuts out this address. One credential...
  const busy = { 'Api-Key': roamBusy.api_key }
  let calls = 0
  while (calls <= RATE_LIMIT_MAX && (await send(prism.base, { path: `/v1/api/user/?user_id=${missing}`, headers: busy })).status !== 429) calls++
  t.equal(calls, RATE_LIMIT_MAX, 'one credential is served up to the limit, then throttled')
  await replay('roamListUsers', 'a throttled key', { path: `/v1/api/user/?user_id=${missing}`, headers: busy }, 429)
  await replay('roamListUsers', 'another key is not throttled', { path: `/v1/api/user/?user_id=${userA}`, headers: keyA }, 200)
  // ...then the client's address, by failed authentication, in both dialects.
  let failures = 0
  // Bounded at two windows' worth: the window that began with this run's first failure may end meanwhile.
  while (failures <= 2 * RATE_LIMIT_MAX && (await send(prism.base, { path: '/api/users', headers: bearer('nope') })).status !== 429) failures++
  t.ok(failures <= 2 * RATE_LIMIT_MAX, `failed authentications are throttled (after ${failures} more)`)
  const roamThrottled = await replay('roamListUsers', 'an address that failed too often', { path: `/v1/api/user/?user_id=${userA}`, headers: keyA }, 429)
  t.match(roamThrottled.headers.get('retry-after'), /^\d+$/, 'Retry-After')
  await replay('plaspyListUsers', 'an address that failed too often', { path: '/api/users', headers: asJane }, 429)
  await replay('plaspyCreateToken', 'an address that failed too often', { method: 'POST', path: '/api/Auth/Token', body: { userName: 'jane', apiKey: jane.api_key } }, 429)

  // Every operation of the spec answered a 2xx through Prism (GET / its 302, directly); Prism's log holds no complaint.
  t.same([...Object.keys(operations)].filter((id) => !succeeded.has(id)), [], 'every operation replayed its happy path')
  const complaints = (await prism.stop()).split('\n').filter((line) => prismComplaint.test(line))
  counts.violations += complaints.length
  t.same(complaints, [], 'Prism logged no violation and answered no request itself')
  t.comment(`Prism conformance: ${counts.prism} requests replayed through Prism (${succeeded.size} operations), ` +
    `${counts.direct} straight to the server, ${calls + failures + 2} more to reach the rate limits; violations: ${counts.violations}`)
})
