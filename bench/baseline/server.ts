// The raw-driver baseline: the four benchmarked endpoints as a minimal Fastify server that does the app's work
// per request — the same routes and schemas from generated/ (validation and serialization), the app's Ajv
// set-up, the credential lookup by sha256 hash, Plaspy's usage metering and privilege check, the update with
// RETURNING — straight on the driver. What the app spends beyond this is the cost of its design.
// Run as its own process, like the app: DATABASE_URL, HOST, PORT.
import Fastify, { type FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { operations, type PlaspyUser, type RoamUser, type RoamUserListItem } from '../../generated/schemas.js'
import { parseDatabaseUrl } from '../../src/db/url.js'
import { hashPassword } from '../../src/plaspy/passwords.js'
import { isCountry, isListedTimeZone } from '../../src/plaspy/reference-data.js'
import { secretHash } from '../../src/platform/secrets.js'
import { installValidators } from '../../src/platform/validation.js'
import { openPostgresStore } from './postgres.js'
import type { Change, Row, Store } from './sql.js'
import { openSqliteStore } from './sqlite.js'

const target = parseDatabaseUrl(process.env.DATABASE_URL)
const store: Store = target.provider === 'sqlite' ? openSqliteStore(target.file) : openPostgresStore(target.connectionString, target.schema)

class HttpError extends Error {
  constructor (readonly statusCode: number, message: string) { super(message) }
}

// The app's server options that matter per request; its logger runs at `warn` in the benchmark, so this one does too.
const app = Fastify({ logger: { level: 'warn' }, exposeHeadRoutes: false, bodyLimit: 64 * 1024, requestTimeout: 30_000 })
  .withTypeProvider<TypeBoxTypeProvider>()
installValidators(app)
app.removeContentTypeParser('text/plain')
app.setErrorHandler(function handleError (error: HttpError & { validation?: unknown }, request, reply) {
  const status = error.validation ? 400 : error.statusCode ?? 500
  if (status === 500) request.log.error({ err: error }, 'request failed')
  const body = request.url.startsWith('/v1/')
    ? { status: false, msg: 'Error Occured.', code: status, error: { ErrorCode: status === 401 ? 'GS401' : 'GS400', ErrorMessage: error.message } }
    : { success: false, error: error.message }
  return reply.code(status).send(body)
})

// ------------------------------------------------------------------------------------------------- Roam

const roamTime = (date: Date) => date.toISOString().slice(0, 23)

async function roamKey (request: FastifyRequest): Promise<Row> {
  const header = request.headers['api-key']
  const key = typeof header === 'string' && header !== '' ? await store.roamKey(secretHash(header)) : undefined
  if (key === undefined) throw new HttpError(401, 'Invalid Api key.')
  return key
}

function roamUser (row: Row, accountId: string) {
  return {
    ...row,
    account_id: accountId,
    app_id: `${row.project_id}_${row.app_type}`,
    created_at: roamTime(row.created_at),
    updated_at: roamTime(row.updated_at)
  } as RoamUser // the row's columns are the wire's other fields
}

function roamListItem (row: Row) {
  return {
    ...row,
    app_id: `${row.project_id}_${row.app_type}`,
    device_uuid: row.device_uuid ?? undefined, // listed only when known
    created_at: roamTime(row.created_at),
    last_location_update: {}
  } as unknown as RoamUserListItem // TypeBox infers `type: [object, null]` as the object alone
}

app.route({
  ...operations.roamUpdateUser,
  handler: async function roamUpdateUser (request) {
    const key = await roamKey(request)
    const { user_id: userId, ...fields } = request.body // wire names are the column names
    const row = await store.updateRoamUser(key.project_id, userId, Object.entries(fields), new Date())
    if (row === undefined) throw new HttpError(400, 'User does not exist.')
    return { status: true, msg: 'Success.', code: 200, data: roamUser(row, key.account_id) } as const
  }
})

app.route({
  ...operations.roamListUsers,
  handler: async function roamListUsers (request) {
    const key = await roamKey(request)
    const { start_date: start, end_date: end, page_number: page = 1 } = request.query
    // Only what the benchmark asks: a UTC day range. The rest of the query language is the app's business.
    if (start === undefined || end === undefined || end < start || Object.keys(request.query).some((name) => !['start_date', 'end_date', 'page_number'].includes(name))) {
      throw new HttpError(400, 'The baseline lists by start_date and end_date only.')
    }
    const from = new Date(start)
    const until = new Date(Date.parse(end) + 86_400_000)
    const { total, rows } = await store.listRoamUsers(key.project_id, from, until, (page - 1) * 10)
    const pages = Math.ceil(total / 10)
    return {
      status: true,
      msg: 'Success.',
      code: 200,
      data: {
        next_page: page < pages ? page + 1 : null,
        pages,
        prev_page: page > 1 && pages > 0 ? Math.min(page - 1, pages) : null,
        account_id: key.account_id,
        users: rows.map(roamListItem)
      }
    } as const
  }
})

// ----------------------------------------------------------------------------------------------- Plaspy

const plaspyTime = (date: Date) => `${date.toISOString().slice(0, 19)}Z`
const optionalPlaspyTime = (date: Date | null) => date === null ? null : plaspyTime(date)
const bearer = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/** The token's user, its request counted, allowed to do what the method does. */
async function plaspyPrincipal (request: FastifyRequest) {
  const now = new Date()
  const token = bearer.exec(request.headers.authorization ?? '')?.[1]
  const found = token === undefined ? undefined : await store.plaspyToken(secretHash(token))
  if (found === undefined || found.expires_at <= now || found.disabled ||
    (found.valid_from !== null && found.valid_from > now) || (found.valid_until !== null && now >= found.valid_until)) {
    throw new HttpError(401, 'Authentication failed. Invalid token.')
  }
  const { total, daily } = await store.countRequest(found.id, now.toISOString().slice(0, 10))
  if (!found.privileges.includes(request.method === 'GET' ? 'read' : 'write')) throw new HttpError(403, 'Unauthorized access')
  return { accountId: found.account_id as string, usage: { apiUsage: total, apiDailyUsage: daily } }
}

function plaspyUser (row: Row) {
  return {
    ...row,
    from: optionalPlaspyTime(row.from),
    expires: optionalPlaspyTime(row.expires),
    password: null,
    creation: plaspyTime(row.creation),
    modification: plaspyTime(row.modification),
    lastLogin: optionalPlaspyTime(row.lastLogin)
  } as PlaspyUser // the row's aliases are the wire's other fields
}

/** Wire field -> column, for the writable fields; the server-owned ones (creation, …) are ignored. */
const plaspyColumns: Record<string, string> = {
  name: 'name',
  email: 'email',
  country: 'country',
  timeZone: 'time_zone',
  description: 'description',
  message: 'message',
  disabled: 'disabled',
  disabledMessage: 'disabled_message',
  tags: 'tags',
  privileges: 'privileges',
  group: 'group_name',
  deviceId: 'device_id',
  adminDevices: 'admin_devices',
  from: 'valid_from',
  expires: 'valid_until'
}

app.route({
  ...operations.plaspyGetUser,
  handler: async function plaspyGetUser (request) {
    const { accountId, usage } = await plaspyPrincipal(request)
    const row = await store.getPlaspyUser(accountId, request.params.userId)
    if (row === undefined) throw new HttpError(404, 'User not found.')
    return { success: true, ...usage, ...plaspyUser(row) } as const
  }
})

app.route({
  ...operations.plaspyUpdateUser,
  handler: async function plaspyUpdateUser (request) {
    const { accountId, usage } = await plaspyPrincipal(request)
    const input = request.body
    if (!isCountry(input.country)) throw new HttpError(400, 'country: Not a known ISO 3166 country.')
    if (!isListedTimeZone(input.timeZone)) throw new HttpError(400, 'timeZone: Not a known IANA time zone.')
    if (input.from && input.expires && Date.parse(input.from) > Date.parse(input.expires)) throw new HttpError(400, 'expires: Must not be before from.')
    const changes: Change[] = Object.entries(input).filter(([field]) => field in plaspyColumns).map(([field, value]) => [plaspyColumns[field]!, value])
    if (typeof input.password === 'string') changes.push(['password_hash', await hashPassword(input.password)])
    let row: Row | undefined
    try {
      row = await store.updatePlaspyUser(accountId, request.params.userId, changes, new Date())
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505') throw new HttpError(409, 'Email address is already in use.')
      throw error
    }
    if (row === undefined) throw new HttpError(404, 'User not found.')
    return { success: true, ...usage, ...plaspyUser(row) } as const
  }
})

app.addHook('onClose', () => store.close())
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { void app.close().then(() => process.exit(0)) })
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) })
