// Compile-time proof that the generated `operations` table types Fastify handlers through the TypeBox provider:
// `tsc --noEmit` fails if a spread operation stops type-checking, if an inferred type drifts from the
// assertions below, or if a `@ts-expect-error` line starts compiling. At runtime it is an ordinary tap test.
import t from 'tap'
import Fastify from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { operations, type OperationId, type PlaspyUserInput } from '../generated/schemas.js'

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false
const assert = <T extends true>(): T | undefined => undefined

const app = Fastify().withTypeProvider<TypeBoxTypeProvider>()

app.route({
  ...operations.plaspyUpdateUser,
  handler: async (req, reply) => {
    assert<Equal<typeof req.params, { userId: string }>>()
    assert<Equal<typeof req.body, PlaspyUserInput>>()
    assert<Equal<typeof req.body.description, string | null | undefined>>()
    // @ts-expect-error the body is typed: no such field
    void req.body.nope
    // @ts-expect-error a nullable field is not a plain string
    const name: string = req.body.group
    void name
    // @ts-expect-error reply.send() is checked against the 404 schema (PlaspyError)
    reply.code(404).send({ message: 'not found' })
    return reply.code(404).send({ success: false, error: 'User not found.' })
  }
})

app.route({
  ...operations.roamListUsers,
  handler: async (req, reply) => {
    assert<Equal<typeof req.query.page_number, number | undefined>>()
    // @ts-expect-error the query string is typed (page_number is a number)
    const page: string = req.query.page_number
    void page
    return reply.code(401).send({
      status: false,
      msg: 'Invalid API key.',
      code: 401,
      error: { ErrorCode: 'GS401', ErrorMessage: 'Invalid API key.' }
    })
  }
})

// The config the app reads to choose an auth hook is literal-typed too.
assert<Equal<(typeof operations.plaspyCreateToken.config.security), readonly []>>()
assert<Equal<Extract<OperationId, 'plaspyGetUser'>, 'plaspyGetUser'>>()

t.test('typed routes register and pass Fastify schema compilation', async (t) => {
  await app.ready()
  t.ok(app.hasRoute({ method: 'PUT', url: '/api/users/:userId' }))
  await app.close()
})
