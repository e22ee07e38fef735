// The dialect kernel (src/platform/dialect.ts) on a bare Fastify: it authenticates exactly the routes whose
// operation names its scheme, authorizes after the principal is known, enters the tenant, sets the rate-limit key,
// and renders errors with the principal. No database.
import Fastify from 'fastify'
import t from 'tap'
import { useDialect } from '../../src/platform/dialect.js'
import { ApiError } from '../../src/platform/errors.js'

interface Principal { name: string, mayWrite: boolean }

async function bare () {
  const app = Fastify()
  const tenants: unknown[] = []
  app.decorate('db', { asTenant: (tenant: unknown, work: () => void) => { tenants.push(tenant); work() } } as never)
  app.decorateRequest('principal', null)
  app.decorateRequest('rateLimitKey', '')
  const seen: Array<[string, unknown]> = []
  await app.register(async (dialect) => {
    const principal = useDialect<Principal>(dialect, {
      scheme: 'Token',
      authenticate: async (request) => {
        const name = request.headers['x-token']
        if (typeof name !== 'string') throw new ApiError('unauthorized', 'who?')
        return { name, mayWrite: name === 'writer' }
      },
      authorize: ({ mayWrite }, request) => { if (request.method !== 'GET' && !mayWrite) throw new ApiError('forbidden', 'read only') },
      tenant: ({ name }) => ({ roamProject: name }),
      rateLimitKey: ({ name }) => `token:${name}`,
      credentialGone: () => new ApiError('unauthorized', 'gone'),
      render: (error, _request, who) => ({ body: { error: error.message, who: who?.name ?? null } })
    })
    const echo = async (request: Parameters<typeof principal>[0]) => {
      seen.push([request.rateLimitKey, request.principal])
      return { name: request.principal === null ? null : principal(request).name }
    }
    dialect.get('/secured', { config: { security: ['Token'] } }, echo)
    dialect.post('/secured', { config: { security: ['Token'] } }, echo)
    dialect.get('/open', { config: { security: [] } }, echo)
    dialect.put('/secured', { config: { security: ['Token'] } }, async () => { throw Object.assign(new Error('FOREIGN KEY constraint failed'), { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }) })
  })
  return { app, tenants, seen }
}

t.test('only routes naming the scheme are authenticated; the handler reads its principal and runs in its tenant', async (t) => {
  const { app, tenants, seen } = await bare()
  t.same((await app.inject({ url: '/open' })).json(), { name: null })
  t.same((await app.inject({ url: '/secured', headers: { 'x-token': 'ann' } })).json(), { name: 'ann' })
  t.same(tenants, [{ roamProject: 'ann' }], 'the open route entered no tenant')
  t.same(seen, [['', null], ['token:ann', { name: 'ann', mayWrite: false }]])
  const refused = await app.inject({ url: '/secured' })
  t.same([refused.statusCode, refused.json()], [401, { error: 'who?', who: null }])
})

t.test('authorization runs once the principal is known, and its error is rendered with it', async (t) => {
  const { app, tenants } = await bare()
  const forbidden = await app.inject({ method: 'POST', url: '/secured', headers: { 'x-token': 'ann' } })
  t.same([forbidden.statusCode, forbidden.json()], [403, { error: 'read only', who: 'ann' }])
  t.same(tenants, [], 'the handler never ran')
  t.equal((await app.inject({ method: 'POST', url: '/secured', headers: { 'x-token': 'writer' } })).statusCode, 200)
})

t.test('a write refused by a foreign key after authentication: the tenant went meanwhile, so did the credential', async (t) => {
  const { app } = await bare()
  const answer = await app.inject({ method: 'PUT', url: '/secured', headers: { 'x-token': 'writer' } })
  t.same([answer.statusCode, answer.json()], [401, { error: 'gone', who: 'writer' }])
})
