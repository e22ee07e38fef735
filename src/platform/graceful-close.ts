// Closing drains: requests in flight when app.close() begins still finish, then their connections close.
// Requests that still arrive meanwhile (pipelined, or on a keep-alive connection already open) are turned away
// in their dialect's envelope with Retry-After (buildApp sets return503OnClosing off: Fastify's own 503 body is
// neither vendor's), before any of their work is done.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { ApiError } from './errors.js'

/** Seconds a client turned away during a drain waits: enough for the load balancer to route it elsewhere. */
export const DRAIN_RETRY_AFTER_SECONDS = 1

async function gracefulClose (app: FastifyInstance): Promise<void> {
  let closing = false
  app.addHook('preClose', async function markClosing () { closing = true })
  // Every request passes these two hooks: callbacks, not async functions, so that they cost no promise.
  app.addHook('onRequest', function refuseWhileClosing (_request, _reply, done) {
    if (!closing) return done()
    const error = new ApiError('unavailable', `The server is shutting down. Retry in ${DRAIN_RETRY_AFTER_SECONDS} second.`)
    error.retryAfterSeconds = DRAIN_RETRY_AFTER_SECONDS
    done(error)
  })
  // Fastify says `Connection: close` only to requests that arrive once closing. One already in flight would answer
  // keep-alive and hold its connection open until the keep-alive timeout (72 s), past close-with-grace's delay,
  // which then exits 1 instead of 0.
  app.addHook('onSend', function closeConnectionWhenClosing (_request, reply, payload, done) {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })
}

export default fp(gracefulClose, { name: 'graceful-close' })
