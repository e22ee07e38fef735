// A database client's error never brings the values it was given into the log: each client's real error, with a
// password hash or a row's value in its message or properties, logged through the server's own logger settings.
import pino from 'pino'
import t from 'tap'
import { loggerOptions, serializeError } from '../../src/platform/logging.js'
import { build } from '../helper.js'
import { captureLog } from '../helpers/log.js'

const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0LXNhbHQ$U2VjcmV0SGFzaFZhbHVlVGhhdE11c3ROb3RMZWFr'

/** What the server's logger writes for `{ err: error }`, at the lowest level. */
function logged (error: unknown): string {
  const log = captureLog()
  const { redact, serializers } = loggerOptions({ level: 'trace' })
  pino({ level: 'trace', redact, serializers }, log.stream).error({ err: error }, 'request failed')
  return log.text()
}

const user = { name: 'Jane', email: 'secret-address@example.com', country: 'US', timeZone: 'UTC', privileges: [] }

async function account (app: Awaited<ReturnType<typeof build>>): Promise<string> {
  return (await app.db.prisma.plaspyAccount.create({ data: { id: 'acc-1', name: 'acme' } })).id
}

async function rejection (promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the call to fail')
}

t.test('a Prisma validation error is logged by kind and operation, without the data it printed', async (t) => {
  const app = await build(t)
  const error = await rejection(app.db.prisma.plaspyUser.create({
    data: { ...user, id: 'usr-1', accountId: await account(app), passwordHash: hash, validFrom: new Date(Number.NaN) }
  }))
  t.match(error.message, hash, 'the client itself prints the hash in its message')
  const text = logged(error)
  t.notOk(text.includes(hash), 'the log has no hash')
  t.notOk(text.includes(user.email), 'nor any other value of the row')
  t.match(JSON.parse(text).err, { type: 'PrismaClientValidationError', operation: 'prisma.plaspyUser.create()' })
})

t.test('a unique violation is logged by its code, without the duplicated value', async (t) => {
  const app = await build(t)
  const accountId = await account(app)
  // Raw SQL, so that the driver's own error (Postgres' detail names the value) is what Prisma passes on.
  const [id, accountParameter, email] = app.db.provider === 'sqlite' ? ['?', '?', '?'] : ['$1', '$2', '$3']
  const sql = `INSERT INTO plaspy_users (id, account_id, name, email, country, time_zone, privileges) VALUES (${id}, ${accountParameter}, 'Jane', ${email}, 'US', 'UTC', '[]')`
  const insert = (userId: string) => app.db.prisma.$executeRawUnsafe(sql, userId, accountId, user.email)
  await insert('usr-1')
  const error = await rejection(insert('usr-2'))
  const text = logged(error)
  t.notOk(text.includes(user.email), 'the log has no duplicated value')
  t.ok(JSON.parse(text).err.type, 'the error is still named')
})

t.test('errors of our own code keep their message and stack', async (t) => {
  const text = logged(new TypeError('x is not a function'))
  t.match(JSON.parse(text).err, { type: 'TypeError', message: 'x is not a function', stack: /TypeError: x is not a function\n {4}at / })
  t.same(serializeError('a string'), { type: 'string', message: '', stack: '' })
})
