// Date-times that RFC 3339 admits but JavaScript or a database cannot hold are refused before anything is
// written, so no stored value can break a later read; Roam's list days at the ends of the calendar still answer.
import t from 'tap'
import { build, plaspyClient, roamClient } from '../helper.js'
import { minimal } from '../helpers/plaspy.js'

t.test('Plaspy refuses instants outside years 0001-9999 (UTC) and leap seconds, and commits nothing', async (t) => {
  const app = await build(t)
  const client = await plaspyClient(app)
  const users = () => app.db.prisma.plaspyUser.count()
  const before = await users()
  for (const instant of ['0000-01-01T00:00:00Z', '0000-12-31T23:59:59Z', '9999-12-31T23:59:59-23:59', '2016-12-31T23:59:60Z', '0001-01-01T00:00:00+00:01']) {
    for (const field of ['from', 'expires']) {
      const response = await client.inject({ method: 'POST', url: '/api/users', payload: { ...minimal, [field]: instant } })
      t.equal(response.statusCode, 400, `${field}: ${instant}`)
      t.match(response.json(), { success: false, error: new RegExp(`${field}: Enter a valid date-time\\.`) }, `${field}: ${instant}`)
    }
  }
  t.equal(await users(), before, 'nothing was stored')
  const list = await client.inject({ url: '/api/users' })
  t.equal(list.statusCode, 200, 'the account still lists')

  const edges = await client.inject({ method: 'POST', url: '/api/users', payload: { ...minimal, from: '0001-01-01T00:00:00Z', expires: '9999-12-31T23:59:59Z' } })
  t.equal(edges.statusCode, 201, edges.body)
  t.match(edges.json(), { from: '0001-01-01T00:00:00Z', expires: '9999-12-31T23:59:59Z' }, 'the range\'s ends are kept as sent')
  const read = await client.inject({ url: `/api/users/${edges.json().id}` })
  t.match(read.json(), { from: '0001-01-01T00:00:00Z', expires: '9999-12-31T23:59:59Z' }, 'and read back')
  t.equal((await client.inject({ url: '/api/users' })).statusCode, 200)
})

t.test('Roam list days at the ends of the calendar, in zones either side of UTC', async (t) => {
  const app = await build(t)
  const client = await roamClient(app)
  const list = (query: string) => client.inject({ url: `/v1/api/user/?${query}` })
  for (const query of ['start_date=0000-01-01&end_date=0001-01-01', 'start_date=0000-01-01']) {
    const response = await list(query)
    t.equal(response.statusCode, 400, query)
    t.same(response.json().error.details, { start_date: ['Enter a valid date.'] }, query)
  }
  for (const query of ['start_date=0001-01-01&timezone_offset=Asia/Kolkata', 'start_date=0001-01-01&end_date=0001-01-02&timezone_offset=Pacific/Kiritimati',
    'start_date=9999-12-31&timezone_offset=America/New_York', 'start_date=9999-12-30&end_date=9999-12-31&timezone_offset=Pacific/Pago_Pago']) {
    const response = await list(query)
    t.equal(response.statusCode, 200, query)
    t.same(response.json().data.users, [], query)
  }
})
