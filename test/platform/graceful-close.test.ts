// A request that reaches the server once it has begun to drain is turned away in its dialect's envelope with
// Retry-After, and does none of its work. (Over HTTP such a request is rare: the answer in flight says
// `Connection: close`, and idle connections are closed; test/server.test.ts drives that part with SIGTERM.)
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { plaspyClient, roamClient } from '../helper.js'
import { testDatabaseUrl } from '../helpers/database.js'

t.test('once the drain has begun, requests get 503 in their envelope with Retry-After', async (t) => {
  const app = await buildApp({ databaseUrl: await testDatabaseUrl(t), prisma: true })
  // preClose hooks run once the drain has begun and before the database closes: what they send reaches the routes.
  let answers: Response[] = []
  let late: () => Promise<typeof answers> = async () => []
  let users = -1
  app.addHook('preClose', async () => {
    answers = await late()
    users = await app.db.prisma.roamUser.count()
  })
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const roam = await roamClient(app)
  const plaspy = await plaspyClient(app)
  late = () => Promise.all([
    fetch(`${base}/v1/api/user/`, { method: 'POST', headers: { 'api-key': roam.api_key, 'content-type': 'application/json' }, body: JSON.stringify({ app_type: 1, device_token: 'late' }) }),
    fetch(`${base}/api/users`, { headers: { authorization: `Bearer ${plaspy.token}` } })
  ])
  await app.close()

  const [roamAnswer, plaspyAnswer] = answers
  t.equal(roamAnswer?.status, 503)
  t.same(await roamAnswer?.json(), { status: false, msg: 'Service Unavailable.', code: 503, error: { ErrorCode: 'GS400', ErrorMessage: 'Service temporarily unavailable', details: 'The server is shutting down. Retry in 1 second.' } })
  t.equal(roamAnswer?.headers.get('retry-after'), '1')
  t.equal(plaspyAnswer?.status, 503)
  t.same(await plaspyAnswer?.json(), { success: false, error: 'The server is shutting down. Retry in 1 second.' })
  t.equal(plaspyAnswer?.headers.get('retry-after'), '1')
  t.equal(users, 0, 'the late create did nothing')
})
