// Errors answered before any route runs come in the envelope of the dialect the path belongs to.
import { once } from 'node:events'
import { connect } from 'node:net'
import t, { test } from 'tap'
import { build } from '../helper.js'

/** Sends `head` as a raw HTTP request (no library would send one this large) and answers status and body. */
async function rawRequest (port: number, head: string): Promise<{ status: number, body: unknown }> {
  const reply = await new Promise<string>((resolve, reject) => {
    let text = ''
    const socket = connect(port, '127.0.0.1', () => socket.write(head))
    socket.setEncoding('utf8').on('data', (chunk: string) => { text += chunk })
    socket.on('end', () => resolve(text)).on('error', reject)
  })
  const [statusLine = '', ...rest] = reply.split('\r\n')
  return { status: Number(statusLine.split(' ')[1]), body: JSON.parse(rest.slice(rest.indexOf('') + 1).join('\r\n')) }
}

const hugeHeader = `X-Padding: ${'a'.repeat(20_000)}\r\n`

test('a path parameter over 100 characters is 414 in the dialect envelope', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: `/api/users/${'u'.repeat(101)}` })
  t.equal(response.statusCode, 414)
  t.same(response.json(), { success: false, error: 'Request URI is too long.' })
})

test('an unknown path answers 404 in the envelope of its prefix', async (t) => {
  const app = await build(t)
  const roam = await app.inject({ method: 'GET', url: '/v1/api/users/' })
  t.equal(roam.statusCode, 404)
  t.same(roam.json(), { status: false, msg: 'Error Occured.', code: 404, error: { ErrorCode: 'GS400', ErrorMessage: 'Not found', details: 'Not Found' } })
  const plaspy = await app.inject({ method: 'POST', url: '/api/nothing' })
  t.equal(plaspy.statusCode, 404)
  t.same(plaspy.json(), { success: false, error: 'Not Found' })
  const elsewhere = await app.inject({ method: 'GET', url: '/nowhere' })
  t.equal(elsewhere.statusCode, 404)
  t.same(elsewhere.json(), { statusCode: 404, error: 'Not Found', message: 'Not Found' })
})

test('an undecodable path parameter answers like an unknown path', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: '/api/users/%E0%A4%A' })
  t.equal(response.statusCode, 404)
  t.same(response.json(), { success: false, error: 'Not Found' })
})

test('headers over 16 KiB are 431, and a request line that long 414, in the envelope of the path', async (t) => {
  const app = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as { port: number }).port

  const roam = await rawRequest(port, `PUT /v1/api/user/ HTTP/1.1\r\nHost: x\r\n${hugeHeader}\r\n`)
  t.equal(roam.status, 431)
  t.match(roam.body, { status: false, code: 431, error: { ErrorCode: 'GS400', ErrorMessage: 'Request header fields are too large' } })

  const plaspy = await rawRequest(port, `GET /api/users HTTP/1.1\r\nHost: x\r\n${hugeHeader}\r\n`)
  t.equal(plaspy.status, 431)
  t.same(plaspy.body, { success: false, error: 'Request header fields are too large.' })

  const roamUri = await rawRequest(port, `GET /v1/api/user/?user_id=${'1'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)
  t.equal(roamUri.status, 414)
  t.match(roamUri.body, { status: false, code: 414, error: { ErrorMessage: 'Request URI is too long' } })

  const operations = await rawRequest(port, `GET /healthz HTTP/1.1\r\nHost: x\r\n${hugeHeader}\r\n`)
  t.equal(operations.status, 431)
  t.same(operations.body, { statusCode: 431, error: 'Request Header Fields Too Large', message: 'Request header fields are too large.' })
})

t.test('a request whose body never ends is answered 408 soon after the request timeout, not up to 30 s later', async (t) => {
  const app = await build(t, { requestTimeoutMs: 1_500 })
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = new URL(address)
  const started = performance.now()
  const socket = connect(Number(port), '127.0.0.1')
  socket.write('POST /api/Auth/Token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"userName":')
  let answer = ''
  socket.setEncoding('utf8').on('data', (chunk: string) => { answer += chunk })
  await once(socket, 'close')
  const seconds = (performance.now() - started) / 1000
  t.match(answer, /^HTTP\/1\.1 408 Request Timeout/, JSON.stringify(answer.slice(0, 80)))
  t.ok(seconds < 5, `answered after ${seconds.toFixed(1)} s (Node checks timeouts every second, not every 30)`)
})
