// No secret reaches the log: the server's own logger settings (src/platform/logging.ts), at the lowest level and
// at the production one, while requests carry API keys, bearer tokens and passwords, and while they fail.
import type { InjectOptions } from 'fastify'
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { loggerOptions, redactQuery } from '../../src/platform/logging.js'
import { build, plaspyClient, roamClient } from '../helper.js'
import { createUser, minimal } from '../helpers/plaspy.js'
import { captureLog } from '../helpers/log.js'

// The production level (LOG_LEVEL unset) and the lowest pino has.
for (const level of ['trace', loadConfig({}).logLevel]) {
  t.test(`at level ${level}, the log records the requests but none of their secrets`, async (t) => {
    const log = captureLog()
    const app = await build(t, { logger: { ...loggerOptions({ level }), stream: log.stream } })
    const roam = await roamClient(app)
    const plaspy = await plaspyClient(app) // POST /api/Auth/Token: apiKey in, token out
    const passwords = ['Seed-P@ssw0rd-1', 'Create-P@ssw0rd-2', 'Patch-P@ssw0rd-3', 'Invalid-P@ssw0rd-4', 'Malformed-P@ssw0rd-5', 'Huge-P@ssw0rd-6']
    const wrongKey = 'f'.repeat(32)
    const wrongToken = 'WrongToken_0123456789abcdefghijklmnopqrstu'
    const statuses: number[] = []
    const send = async (request: InjectOptions) => {
      const response = await app.inject(request)
      statuses.push(response.statusCode)
      return response
    }

    // Roam: the key in each casing clients use, a valid and an invalid body, a wrong key, a key in the query.
    const created = await roam.inject({ method: 'POST', url: '/v1/api/user/', payload: { app_type: 1, device_token: 'token-1' } })
    statuses.push(created.statusCode)
    const userId = created.json().data.user_id
    await send({ method: 'PUT', url: '/v1/api/user/', headers: { 'APi-Key': roam.api_key }, payload: { user_id: userId, description: 'x' } })
    await send({ method: 'PUT', url: '/v1/api/user/', headers: { 'API-KEY': roam.api_key }, payload: { user_id: 5 } })
    await send({ method: 'PUT', url: '/v1/api/user/', headers: { 'api-key': wrongKey }, payload: { user_id: userId } })
    await send({ url: `/v1/api/user/?api_key=${roam.api_key}&user_id=${userId}` })

    // Plaspy: a wrong API key at the token exchange, a wrong token, a token in the query string.
    await send({ method: 'POST', url: '/api/Auth/Token', payload: { userName: plaspy.userName, apiKey: `${plaspy.api_key}x` } })
    await send({ url: '/api/users', headers: { authorization: `Bearer ${wrongToken}` } })
    await send({ url: `/api/users?access_token=${plaspy.token}` })

    // Passwords: accepted (PUT, POST, PATCH) and refused (invalid body, malformed JSON, too large a body).
    const bearer = { authorization: `Bearer ${plaspy.token}` }
    const id = await createUser(plaspy)
    await send({ method: 'PUT', url: `/api/users/${id}`, headers: bearer, payload: { ...minimal, password: passwords[0] } })
    await send({ method: 'POST', url: '/api/users', headers: bearer, payload: { ...minimal, email: 'other@example.com', password: passwords[1] } })
    await send({ method: 'PATCH', url: `/api/users/${id}`, headers: bearer, payload: [{ op: 'replace', path: '/password', value: passwords[2] }] })
    await send({ method: 'PUT', url: `/api/users/${id}`, headers: bearer, payload: { ...minimal, email: 'not an email', password: passwords[3] } })
    await send({ method: 'PUT', url: `/api/users/${id}`, headers: { ...bearer, 'content-type': 'application/json' }, payload: `{"password":"${passwords[4]}",` })
    await send({ method: 'PUT', url: `/api/users/${id}`, headers: bearer, payload: { ...minimal, password: passwords[5], description: 'x'.repeat(70_000) } })
    t.same(statuses, [201, 200, 400, 401, 401, 401, 401, 401, 200, 201, 200, 400, 400, 413], 'each request got the answer it was meant to')

    const text = log.text()
    const lines = text.trim().split('\n').map((line) => JSON.parse(line))
    const incoming = lines.filter((line) => line.msg === 'incoming request')
    t.ok(incoming.length >= statuses.length + 2, `the log recorded every request (${incoming.length} of ${lines.length} lines)`)
    t.ok(incoming.some((line) => line.req.url === `/v1/api/user/?api_key=[Redacted]&user_id=${userId}`), 'a key in the query is replaced, the rest kept')
    const secrets = { roamKey: roam.api_key, plaspyKey: plaspy.api_key, token: plaspy.token, wrongKey, wrongToken, ...Object.fromEntries(passwords.map((password, i) => [`password ${i + 1}`, password])) }
    for (const [name, secret] of Object.entries(secrets)) t.notOk(text.includes(secret), `no ${name} in the log`)
  })
}

t.test('redactQuery replaces only credential parameters, and keeps the rest as sent', async (t) => {
  t.equal(redactQuery('/v1/api/user/'), '/v1/api/user/')
  t.equal(redactQuery('/v1/api/user/?user_id=abc&page_number=2'), '/v1/api/user/?user_id=abc&page_number=2')
  t.equal(redactQuery('/x?Api-Key=s1&token=s2&a=%20b&password=s3'), '/x?Api-Key=[Redacted]&token=[Redacted]&a=%20b&password=[Redacted]')
  t.equal(redactQuery('/x?api%5Fkey=s1&flag'), '/x?api%5Fkey=[Redacted]&flag')
})
