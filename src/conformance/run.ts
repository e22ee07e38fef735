// The conformance kit: checks any server (this one, a deployment of it, the vendors' own) against openapi.yaml over
// HTTP, with the credentials it is given. Every answer is held to what the spec declares for its operation and
// status; the stateful checks follow a user from its creation through reads, updates and deletion, which a server
// that answers from examples alone (a mock) cannot pass. Checks that write are left out with `readOnly`.
import { loadSpec, type Answer, type Operation, type Spec } from './spec.js'

export interface ConformanceOptions {
  baseUrl: string
  roamKey?: string
  plaspyUser?: string
  plaspyKey?: string
  /** Send nothing that creates, changes or deletes data (a Plaspy sign-in still buys a token). */
  readOnly?: boolean
  /** Per request; a server that does not answer in time fails the check. */
  timeoutMs?: number
}

export interface CheckResult {
  dialect: 'roam' | 'plaspy'
  name: string
  /** Undefined: passed. */
  failure?: string
  ms: number
}

/** A check's own verdict: thrown with what was wrong. */
class CheckFailed extends Error {}

interface Request {
  method?: string
  path: string
  headers?: Record<string, string>
  body?: unknown
}

interface Checked extends Answer {
  json: any // held to the spec's schema before any check reads it
}

/** Runs every check the credentials allow, in order; `report` hears each result as it is known. */
export async function runConformance (options: ConformanceOptions, report: (result: CheckResult) => void = () => {}): Promise<CheckResult[]> {
  const spec = loadSpec()
  const results: CheckResult[] = []
  const session = new Session(spec, options)
  const check = (dialect: CheckResult['dialect']) => async (name: string, body: () => Promise<void>): Promise<void> => {
    const started = performance.now()
    let failure: string | undefined
    try {
      await body()
    } catch (error) {
      failure = error instanceof CheckFailed ? error.message : `${(error as Error).name}: ${(error as Error).message}`
    }
    const result = { dialect, name, ...failure === undefined ? {} : { failure }, ms: performance.now() - started }
    results.push(result)
    report(result)
  }
  if (options.roamKey !== undefined) await roamChecks(session, options.roamKey, check('roam'), options.readOnly === true)
  if (options.plaspyUser !== undefined && options.plaspyKey !== undefined) {
    await plaspyChecks(session, options.plaspyUser, options.plaspyKey, check('plaspy'), options.readOnly === true)
  }
  return results
}

type Check = (name: string, body: () => Promise<void>) => Promise<void>

/** Sends requests and holds each answer to the spec: its status among `expected`, and declared exactly. */
class Session {
  constructor (private readonly spec: Spec, private readonly options: ConformanceOptions) {}

  async call (operationId: string, request: Request, ...expected: number[]): Promise<Checked> {
    const operation = this.operation(operationId)
    const answer = await this.send(request)
    if (!expected.includes(answer.statusCode)) {
      throw new CheckFailed(`${request.method ?? 'GET'} ${request.path} answered ${answer.statusCode}, expected ${expected.join(' or ')}: ${answer.body.slice(0, 200)}`)
    }
    const problems = this.spec.violations(operation, answer)
    if (problems.length > 0) throw new CheckFailed(`${request.method ?? 'GET'} ${request.path}: not as openapi.yaml declares it: ${problems.slice(0, 3).join('; ')}`)
    return { ...answer, json: answer.body === '' ? undefined : JSON.parse(answer.body) }
  }

  private operation (operationId: string): Operation {
    const operation = this.spec.operations.find((candidate) => candidate.operationId === operationId)
    if (operation === undefined) throw new Error(`openapi.yaml has no operation ${operationId}`)
    return operation
  }

  private async send ({ method = 'GET', path, headers = {}, body }: Request): Promise<Answer> {
    const response = await fetch(new URL(path, this.options.baseUrl), {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000)
    })
    return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.text() }
  }
}

/** Fails the check unless `condition` holds. */
function expect (condition: boolean, what: string): void {
  if (!condition) throw new CheckFailed(what)
}

/** A value an earlier check was to produce; a check that needs it fails when that one did. */
function needs<T> (value: T | undefined, what: string): T {
  if (value === undefined) throw new CheckFailed(`depends on ${what}, which failed`)
  return value
}

async function roamChecks (session: Session, key: string, check: Check, readOnly: boolean): Promise<void> {
  const auth = { 'Api-Key': key }
  const today = new Date().toISOString().slice(0, 10)
  await check('Get Users without dates (as real clients call it) answers 200', async () => {
    await session.call('roamListUsers', { path: '/v1/api/user/', headers: auth }, 200)
  })
  await check('Get Users over a date range, a page and a time zone answers 200', async () => {
    const { json } = await session.call('roamListUsers', { path: `/v1/api/user/?start_date=2020-01-01&end_date=${today}&page_number=1&timezone_offset=UTC`, headers: auth }, 200)
    expect(json.data.users.length <= 10, `a page holds at most 10 users, got ${json.data.users.length}`)
  })
  await check('a request without Api-Key answers 401 in Roam\'s envelope', async () => {
    await session.call('roamListUsers', { path: '/v1/api/user/' }, 401)
  })
  await check('an unknown Api-Key answers 401', async () => {
    await session.call('roamListUsers', { path: '/v1/api/user/', headers: { 'Api-Key': 'f'.repeat(32) } }, 401)
  })
  await check('an invalid date answers 400 with the field named', async () => {
    const { json } = await session.call('roamListUsers', { path: '/v1/api/user/?start_date=2021-13-01&end_date=2021-06-06', headers: auth }, 400)
    expect(JSON.stringify(json.error).includes('start_date'), `the error names start_date: ${JSON.stringify(json.error)}`)
  })
  await check('an unknown user_id answers 400', async () => {
    await session.call('roamListUsers', { path: '/v1/api/user/?user_id=ffffffffffffffffffffffff', headers: auth }, 400)
  })
  if (readOnly) return

  let userId: string | undefined
  const byId = async () => (await session.call('roamListUsers', { path: `/v1/api/user/?user_id=${needs(userId, 'Create User')}`, headers: auth }, 200)).json.data.users
  await check('Create User answers 201 with the new user', async () => {
    const { json } = await session.call('roamCreateUser', { method: 'POST', path: '/v1/api/user/', headers: auth, body: { app_type: 1, device_token: 'conformance-device', description: 'conformance', metadata: { kit: 1 } } }, 201)
    userId = json.data.user_id
  })
  await check('the created user is read back by user_id, as created', async () => {
    const [user] = await byId()
    expect(user?.id === userId && user?.description === 'conformance', `read back ${JSON.stringify(user)}`)
  })
  await check('Update User answers 200 with the change, and it is read back', async () => {
    const { json } = await session.call('roamUpdateUser', { method: 'PUT', path: '/v1/api/user/', headers: auth, body: { user_id: needs(userId, 'Create User'), description: 'conformance updated', metadata: { kit: 2 } } }, 200)
    expect(json.data.description === 'conformance updated' && json.data.metadata?.kit === 2, `answered ${JSON.stringify(json.data)}`)
    const [user] = await byId()
    expect(user?.description === 'conformance updated', `read back ${JSON.stringify(user)}`)
  })
  await check('an invalid Create User answers 400 naming the field, and creates nothing', async () => {
    const { json } = await session.call('roamCreateUser', { method: 'POST', path: '/v1/api/user/', headers: auth, body: { app_type: 7, device_token: 'x' } }, 400)
    expect(JSON.stringify(json.error).includes('app_type'), `the error names app_type: ${JSON.stringify(json.error)}`)
  })
  await check('Create Group answers 201; Add Users to Group 201; the group lists the user', async () => {
    const groupId = (await session.call('roamCreateGroup', { method: 'POST', path: '/v1/api/group/', headers: auth, body: { description: 'conformance' } }, 201)).json.data.group_id
    await session.call('roamAddUsersToGroup', { method: 'POST', path: '/v1/api/group/user/', headers: auth, body: { group_id: groupId, users: [needs(userId, 'Create User')] } }, 201)
    const { json } = await session.call('roamListUsers', { path: `/v1/api/user/?start_date=2020-01-01&end_date=${today}&group_id=${groupId}`, headers: auth }, 200)
    expect(json.data.users.some((user: { id: string }) => user.id === userId), `the group's page lists ${JSON.stringify(json.data.users.map((user: { id: string }) => user.id))}`)
  })
  await check('Delete User answers 200; the user is then unknown', async () => {
    await session.call('roamDeleteUser', { method: 'DELETE', path: `/v1/api/user/?user_id=${needs(userId, 'Create User')}`, headers: auth }, 200)
    await session.call('roamListUsers', { path: `/v1/api/user/?user_id=${userId}`, headers: auth }, 400)
  })
}

async function plaspyChecks (session: Session, userName: string, apiKey: string, check: Check, readOnly: boolean): Promise<void> {
  let token: string | undefined
  const auth = () => ({ Authorization: `Bearer ${needs(token, 'the sign-in')}` })
  await check('Auth/Token with the user\'s key answers 200 with a token', async () => {
    token = (await session.call('plaspyCreateToken', { method: 'POST', path: '/api/Auth/Token', body: { userName, apiKey } }, 200)).json.token
  })
  await check('Auth/Token with a wrong key answers 401 in Plaspy\'s envelope', async () => {
    await session.call('plaspyCreateToken', { method: 'POST', path: '/api/Auth/Token', body: { userName, apiKey: `${apiKey}-wrong` } }, 401)
  })
  await check('a request without a token answers 401', async () => {
    await session.call('plaspyListUsers', { path: '/api/users' }, 401)
  })
  await check('List Users answers 200 with the usage counters', async () => {
    await session.call('plaspyListUsers', { path: '/api/users', headers: auth() }, 200)
  })
  await check('the countries and time zones answer 200', async () => {
    await session.call('plaspyListCountries', { path: '/api/users/countries', headers: auth() }, 200)
    await session.call('plaspyListTimeZones', { path: '/api/users/timeZones', headers: auth() }, 200)
  })
  await check('an unknown user answers 404', async () => {
    await session.call('plaspyGetUser', { path: '/api/users/usr-0000000000000000', headers: auth() }, 404)
  })
  if (readOnly) return

  let id: string | undefined
  const user = { name: 'Conformance Kit', email: `conformance-${Date.now()}@example.com`, country: 'US', timeZone: 'UTC', description: 'conformance' }
  const read = async () => (await session.call('plaspyGetUser', { path: `/api/users/${needs(id, 'Create User')}`, headers: auth() }, 200)).json
  await check('Create User answers 201 with the new user', async () => {
    id = (await session.call('plaspyCreateUser', { method: 'POST', path: '/api/users', headers: auth(), body: user }, 201)).json.id
  })
  await check('the created user is read back, as created, and listed', async () => {
    const got = await read()
    expect(got.id === id && got.email === user.email && got.description === 'conformance', `read back ${JSON.stringify(got)}`)
    const { json } = await session.call('plaspyListUsers', { path: '/api/users', headers: auth() }, 200)
    expect(json.users.some((listed: { id: string }) => listed.id === id), 'List Users does not hold it')
  })
  await check('Update User (PUT) answers 200 with the change, and it is read back', async () => {
    const { json } = await session.call('plaspyUpdateUser', { method: 'PUT', path: `/api/users/${needs(id, 'Create User')}`, headers: auth(), body: { ...user, name: 'Conformance Kit 2' } }, 200)
    expect(json.name === 'Conformance Kit 2', `answered ${JSON.stringify(json)}`)
    expect((await read()).name === 'Conformance Kit 2', 'not read back')
  })
  await check('Patch User (JSON Patch) answers 200 with the change, and it is read back', async () => {
    const patch = [{ op: 'replace', path: '/description', value: 'conformance patched' }]
    const { json } = await session.call('plaspyPatchUser', { method: 'PATCH', path: `/api/users/${needs(id, 'Create User')}`, headers: { ...auth(), 'content-type': 'application/json-patch+json' }, body: patch }, 200)
    expect(json.description === 'conformance patched', `answered ${JSON.stringify(json)}`)
    expect((await read()).description === 'conformance patched', 'not read back')
  })
  await check('an invalid Update User answers 400 and changes nothing', async () => {
    await session.call('plaspyUpdateUser', { method: 'PUT', path: `/api/users/${needs(id, 'Create User')}`, headers: auth(), body: { ...user, country: 'Atlantis' } }, 400)
    expect((await read()).country !== 'Atlantis', 'the invalid country was stored')
  })
  await check('Delete User answers 200; the user is then 404', async () => {
    await session.call('plaspyDeleteUser', { method: 'DELETE', path: `/api/users/${needs(id, 'Create User')}`, headers: auth() }, 200)
    await session.call('plaspyGetUser', { path: `/api/users/${id}`, headers: auth() }, 404)
  })
}
