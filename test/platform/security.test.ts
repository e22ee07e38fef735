// Credentials as they arrive over HTTP. A request with two Authorization headers is not authenticated: Node keeps
// the first and drops the rest, while a proxy in front may have checked another.
import { request } from 'node:http'
import { connect } from 'node:net'
import t from 'tap'
import { build, plaspyClient } from '../helper.js'

const ADMIN_TOKEN = 'b5e0c1d2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2'

/** Sends a GET over a real socket, with one Authorization line per value (headers as a raw name/value list). */
async function get (base: string, path: string, authorization: string[]): Promise<{ status: number, body: string }> {
  return await new Promise((resolve, reject) => {
    const headers = ['Host', new URL(base).host, ...authorization.flatMap((value) => ['Authorization', value])] // raw: Node adds no Host then
    request(`${base}${path}`, { headers }, (response) => {
      let body = ''
      response.setEncoding('utf8').on('data', (chunk: string) => { body += chunk }).on('end', () => resolve({ status: response.statusCode!, body }))
    }).on('error', reject).end()
  })
}

/** The status line of a GET whose header block is `lines`, written to the socket as they are. */
async function rawGet (base: string, path: string, lines: string[]): Promise<string> {
  const { hostname, port } = new URL(base)
  return await new Promise((resolve, reject) => {
    let answer = ''
    const socket = connect(Number(port), hostname, () => socket.end(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${lines.map((line) => `${line}\r\n`).join('')}\r\n`))
    socket.setEncoding('utf8').on('data', (chunk: string) => { answer += chunk }).on('close', () => resolve(answer.split('\r\n')[0]!)).on('error', reject)
  })
}

t.test('two Authorization headers: 401 in the envelope of Plaspy and of Admin, even when both hold the good credential', async (t) => {
  const app = await build(t, { admin: { token: ADMIN_TOKEN } })
  const plaspy = await plaspyClient(app)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const bearer = `Bearer ${plaspy.token}`
  t.equal((await get(base, '/api/users', [bearer])).status, 200, 'one header: the user is known')
  for (const headers of [[bearer, bearer], [bearer, 'Bearer forged'], ['Bearer forged', bearer]]) {
    const answer = await get(base, '/api/users', headers)
    t.equal(answer.status, 401)
    t.match(JSON.parse(answer.body), { success: false, error: 'Authentication failed. Invalid token.' })
  }
  // Node kept only about the first 1000 header lines: a second credential past them went unseen, and the first let it in.
  const filler = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}: 1`)
  const padded = await rawGet(base, '/api/users', [...filler('a', 997), `Authorization: ${bearer}`, ...filler('z', 23), 'Authorization: Bearer forged'])
  t.equal(padded, 'HTTP/1.1 401 Unauthorized', 'even past the thousandth header line')
  const admin = `Bearer ${ADMIN_TOKEN}`
  t.equal((await get(base, `/admin/plaspy/users/${plaspy.userName}/usage`, [admin])).status, 200, 'one header: the operator is known')
  const twice = await get(base, `/admin/plaspy/users/${plaspy.userName}/usage`, [admin, admin])
  t.equal(twice.status, 401)
  t.match(JSON.parse(twice.body), { statusCode: 401, error: 'Unauthorized' })
})
