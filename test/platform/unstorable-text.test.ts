// U+0000 and lone surrogates in any input are refused as invalid, in the dialect's envelope, and store nothing:
// Postgres text cannot hold U+0000 (a 500 there, while SQLite stored it) and each database mangled a lone
// surrogate its own way. Found by test/fuzz.test.ts.
import t from 'tap'
import { build, plaspyClient, roamClient } from '../helper.js'

t.test('Roam: a null character in a body value or key is a GS402 naming the field; nothing is created', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  for (const [payload, field] of [
    [{ app_type: 2, device_token: 'a\u0000b' }, 'device_token'],
    [{ app_type: 2, device_token: 'ab', metadata: { 'k\u0000': 1 } }, 'metadata']
  ] as const) {
    const response = await client.inject({ method: 'POST', url: '/v1/api/user/', payload })
    t.equal(response.statusCode, 400)
    t.same(response.json(), {
      status: false,
      msg: 'Error Occured.',
      code: 400,
      error: { ErrorCode: 'GS402', ErrorMessage: 'Invalid request', details: { [field]: ['Null characters are not allowed.'] } }
    })
  }
  t.equal(await app.db.prisma.roamUser.count(), 0)
})

t.test('Roam: a lone surrogate is a GS402 in DRF\'s words; nothing is created', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  for (const [payload, field] of [
    ['{"app_type":2,"device_token":"a\\ud800"}', 'device_token'],
    ['{"app_type":2,"device_token":"ab","description":"\\udfff"}', 'description']
  ] as const) {
    const response = await client.inject({ method: 'POST', url: '/v1/api/user/', headers: { 'content-type': 'application/json' }, payload })
    const code = field === 'device_token' ? 'D800' : 'DFFF'
    t.equal(response.statusCode, 400)
    t.same(response.json(), {
      status: false,
      msg: 'Error Occured.',
      code: 400,
      error: { ErrorCode: 'GS402', ErrorMessage: 'Invalid request', details: { [field]: [`Surrogate characters are not allowed: U+${code}.`] } }
    })
  }
  t.equal(await app.db.prisma.roamUser.count(), 0)
})

t.test('Plaspy: a null character or a lone surrogate in the path or the body is a 400 in Plaspy\'s envelope; nothing changes', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const before = await app.db.prisma.plaspyUser.findMany({ orderBy: { id: 'asc' } })
  const remove = await client.inject({ method: 'DELETE', url: '/api/users/usr-%00' })
  t.equal(remove.statusCode, 400)
  t.match(remove.json(), { success: false, error: 'Invalid input. userId: Null characters are not allowed.' })
  const create = await client.inject({ method: 'POST', url: '/api/users', payload: { name: 'a\u0000', email: 'a@example.com', country: 'US', timeZone: 'UTC' } })
  t.equal(create.statusCode, 400)
  t.match(create.json(), { success: false, error: 'Invalid input. name: Null characters are not allowed.' })
  const surrogate = await client.inject({ method: 'POST', url: '/api/users', headers: { 'content-type': 'application/json' }, payload: '{"name":"a\\ud800","email":"a@example.com","country":"US","timeZone":"UTC"}' })
  t.equal(surrogate.statusCode, 400)
  t.match(surrogate.json(), { success: false, error: 'Invalid input. name: Surrogate characters are not allowed: U+D800.' })
  t.same(await app.db.prisma.plaspyUser.findMany({ orderBy: { id: 'asc' } }), before)
})

t.test('a parameter no operation declares is ignored, null character or not: never a 400 the spec does not list', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  // GET /api/users declares no 400: its answers are 200, 401, 403, 414, 429, 431, 500, 503.
  const list = await client.inject({ url: '/api/users?x=a%00b' })
  t.equal(list.statusCode, 200)
  t.equal(list.json().success, true)
  t.equal((await app.inject({ url: '/healthz?x=%00' })).statusCode, 200)
  const declared = await client.inject({ url: '/api/users/usr-%00' })
  t.equal(declared.statusCode, 400, 'a declared parameter is still refused')
})

t.test('bytes that are not UTF-8 in a JSON body: a 400 in each envelope, nothing stored as U+FFFD; UTF-8 itself is kept', async (t) => {
  const app = await build(t)
  const roam = await roamClient(app)
  const plaspy = await plaspyClient(app)
  const created = await plaspy.inject({ method: 'POST', url: '/api/users', payload: { name: 'Jane', email: 'jane@example.com', country: 'US', timeZone: 'UTC' } })
  const id: string = created.json().id
  const names = async () => (await app.db.prisma.plaspyUser.findMany({ orderBy: { id: 'asc' } })).map(({ name }) => name)
  const before = await names()
  // A lone continuation byte, an overlong slash, an encoded surrogate, a truncated sequence, past U+10FFFF.
  for (const bad of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x80]].map((bytes) => Buffer.from(bytes))) {
    const body = (json: string) => Buffer.concat(json.split('BAD').flatMap((part, i) => i === 0 ? [Buffer.from(part)] : [bad, Buffer.from(part)]))
    const roamCreate = await roam.inject({ method: 'POST', url: '/v1/api/user/', headers: { 'content-type': 'application/json' }, payload: body('{"app_type":2,"device_token":"aBADb"}') })
    t.equal(roamCreate.statusCode, 400, `Roam create, ${bad.toString('hex')}`)
    t.match(roamCreate.json(), { status: false, code: 400 })
    t.match(roamCreate.body, /UTF-8/)
    const plaspyCreate = await plaspy.inject({ method: 'POST', url: '/api/users', headers: { 'content-type': 'application/json' }, payload: body('{"name":"BAD","email":"b@example.com","country":"US","timeZone":"UTC"}') })
    t.equal(plaspyCreate.statusCode, 400, `Plaspy create, ${bad.toString('hex')}`)
    t.match(plaspyCreate.json(), { success: false, error: /UTF-8/ })
    const plaspyPatch = await plaspy.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: { 'content-type': 'application/json-patch+json' }, payload: body('[{"op":"replace","path":"/name","value":"BAD"}]') })
    t.equal(plaspyPatch.statusCode, 400, `Plaspy JSON Patch, ${bad.toString('hex')}`)
  }
  t.equal(await app.db.prisma.roamUser.count(), 0, 'no Roam user')
  t.same(await names(), before, 'no Plaspy user, none renamed')

  const text = 'Zoë 東京 🛰️'
  const kept = await roam.inject({ method: 'POST', url: '/v1/api/user/', headers: { 'content-type': 'application/json' }, payload: Buffer.from(JSON.stringify({ app_type: 2, device_token: 'd', description: text })) })
  t.equal(kept.statusCode, 201)
  t.equal((await app.db.prisma.roamUser.findFirstOrThrow()).description, text, 'UTF-8 of every length is stored as sent')
})
