import t from 'tap'
import { loadConfig } from '../src/config.js'

t.test('rate limits: generous defaults, set from the environment, refused when not whole numbers', async (t) => {
  t.match(loadConfig({}), { rateLimitMax: 6000, rateLimitFailedAuthMax: 60, rateLimitWindowSeconds: 60, redisUrl: undefined, rateLimitPrefix: 'tracker-users:rate-limit:' })
  t.match(loadConfig({ RATE_LIMIT_MAX: '10', RATE_LIMIT_FAILED_AUTH_MAX: '4', RATE_LIMIT_WINDOW_SECONDS: '5', REDIS_URL: 'redis://127.0.0.1:6379', RATE_LIMIT_PREFIX: 'x:' }),
    { rateLimitMax: 10, rateLimitFailedAuthMax: 4, rateLimitWindowSeconds: 5, redisUrl: 'redis://127.0.0.1:6379', rateLimitPrefix: 'x:' })
  t.throws(() => loadConfig({ RATE_LIMIT_MAX: '0' }), /RATE_LIMIT_MAX must be an integer from 1/)
  t.throws(() => loadConfig({ RATE_LIMIT_WINDOW_SECONDS: '1.5' }), /RATE_LIMIT_WINDOW_SECONDS must be an integer/)
})

t.test('TRUST_PROXY: off by default; true, or a list of the proxies\' addresses', async (t) => {
  t.equal(loadConfig({}).trustProxy, false)
  t.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true)
  t.equal(loadConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).trustProxy, '10.0.0.0/8,127.0.0.1')
})
