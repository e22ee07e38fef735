// The set of routes the server registers is the set of operations in openapi.yaml: every operation is
// served, and nothing is served that the contract does not describe (Swagger UI's /docs aside).
import t from 'tap'
import { operations } from '../generated/schemas.js'
import { build } from './helper.js'

t.test('registered routes equal the spec\'s operations', async (t) => {
  const app = await build(t)
  const implemented = Object.entries(operations)
  // HEAD of every GET operation (Fastify's exposeHeadRoutes; openapi.yaml's description says so once).
  const expected = implemented.flatMap(([, op]) => [`${op.method} ${op.url}`, ...op.method === 'GET' ? [`HEAD ${op.url}`] : []]).sort()
  const served = app.routeList.filter((route) => !route.startsWith('GET /docs') && !route.startsWith('HEAD /docs')).sort()
  t.same(served, expected)
})
