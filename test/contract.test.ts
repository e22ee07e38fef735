// The set of routes the server registers is the set of operations in openapi.yaml: every operation is
// served, and nothing is served that the contract does not describe (Swagger UI's /docs aside). The Admin
// operations exist only when the deployment sets ADMIN_TOKEN.
import t from 'tap'
import { operations } from '../generated/schemas.js'
import { build } from './helper.js'

const isAdmin = (op: { config: { security: readonly string[] } }) => op.config.security.includes('AdminToken')

/** Each operation's route, and HEAD of every GET operation (Fastify's exposeHeadRoutes; openapi.yaml says so once). */
function routesOf (ops: Array<{ method: string, url: string }>): string[] {
  return ops.flatMap((op) => [`${op.method} ${op.url}`, ...op.method === 'GET' ? [`HEAD ${op.url}`] : []]).sort()
}

t.test('registered routes equal the spec\'s operations; without ADMIN_TOKEN, all but the Admin ones', async (t) => {
  const all = Object.values(operations)
  for (const [admin, expected] of [[{ token: 'c'.repeat(32) }, all], [undefined, all.filter((op) => !isAdmin(op))]] as const) {
    const app = await build(t, { admin })
    const served = app.routeList.filter((route) => !route.startsWith('GET /docs') && !route.startsWith('HEAD /docs')).sort()
    t.same(served, routesOf(expected), admin ? 'with ADMIN_TOKEN' : 'without')
  }
  t.equal(all.filter(isAdmin).length, 9)
})
