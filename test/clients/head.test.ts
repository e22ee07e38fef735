// HEAD on every GET operation, as HTTP libraries and monitors send it: the GET's status and headers, no body.
import t from 'tap'
import { LIST_BATCH } from '../../src/plaspy/users.js'
import { PostgresDriver, SqliteDriver } from '../../src/db/drivers.js'
import { build, plaspyClient, roamClient } from '../helper.js'
import { createUser } from '../helpers/plaspy.js'

t.test('HEAD answers as GET does, without a body, in both dialects and for operations', async (t) => {
  const app = await build(t)
  const roam = await roamClient(app)
  const plaspy = await plaspyClient(app)
  const id = await createUser(plaspy)

  for (const [name, inject, url] of [
    ['Roam list', roam.inject, '/v1/api/user/'],
    ['Plaspy user', plaspy.inject, `/api/users/${id}`],
    ['Plaspy countries', plaspy.inject, '/api/users/countries'],
    ['readiness', app.inject.bind(app), '/readyz']
  ] as const) {
    const get = await inject({ method: 'GET', url })
    const head = await inject({ method: 'HEAD', url })
    t.equal(head.statusCode, get.statusCode, `${name}: the GET's status`)
    t.equal(head.body, '', `${name}: no body`)
    t.equal(head.headers['content-type'], get.headers['content-type'], `${name}: its content type`)
    t.equal(head.headers.etag, get.headers.etag, `${name}: its ETag`)
  }
  const unknown = await plaspy.inject({ method: 'HEAD', url: '/api/users/usr-nobody' })
  t.equal(unknown.statusCode, 404, 'an unknown user: 404, as GET')
  t.equal(unknown.body, '')
  const noToken = await app.inject({ method: 'HEAD', url: '/api/users' })
  t.equal(noToken.statusCode, 401, 'authenticated as GET is')
})

t.test('HEAD of Plaspy\'s streamed list reads no user', async (t) => {
  const app = await build(t)
  const plaspy = await plaspyClient(app)
  // Every statement on the app's connections, by text, whichever provider runs them.
  const statements: string[] = []
  for (const driver of [SqliteDriver, PostgresDriver]) {
    const execute = driver.prototype.execute
    driver.prototype.execute = function (this: never, text: string, ...rest: never[]) {
      statements.push(text)
      return (execute as (...args: unknown[]) => unknown).call(this, text, ...rest)
    } as typeof execute
    t.teardown(() => { driver.prototype.execute = execute })
  }
  const listing = (text: string) => /from "plaspy_users" where "account_id"/i.test(text) && /order by "creation", "id"/i.test(text)

  const get = await plaspy.inject({ url: '/api/users' })
  t.equal(get.statusCode, 200)
  t.ok(statements.some(listing), 'GET reads the users (the watch sees the list statement)')
  statements.length = 0
  const head = await plaspy.inject({ method: 'HEAD', url: '/api/users' })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')
  t.match(head.headers['content-type'], /^application\/json/)
  t.notOk(statements.some(listing), `HEAD reads no batch of ${LIST_BATCH} users`)
})
