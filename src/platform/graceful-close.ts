// Closing drains: requests in flight when app.close() begins still finish, then their connections close.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'

async function gracefulClose (app: FastifyInstance): Promise<void> {
  let closing = false
  app.addHook('preClose', async function markClosing () { closing = true })
  // Fastify says `Connection: close` only to requests that arrive once closing. One already in flight would answer
  // keep-alive and hold its connection open until the keep-alive timeout (72 s), past close-with-grace's delay,
  // which then exits 1 instead of 0.
  app.addHook('onSend', async function closeConnectionWhenClosing (request, reply) {
    if (closing) reply.header('connection', 'close')
  })
}

export default fp(gracefulClose, { name: 'graceful-close' })
