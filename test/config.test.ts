import t from 'tap'
import { join } from 'node:path'
import { loadConfig, readEnvFile } from '../src/config.js'

t.test('rate limits: generous defaults, set from the environment, refused when not whole numbers', async (t) => {
  t.match(loadConfig({}), { rateLimitMax: 6000, rateLimitFailedAuthMax: 60, rateLimitWindowSeconds: 60, redisUrl: undefined, rateLimitPrefix: 'tracker-users:rate-limit:' })
  t.match(loadConfig({ RATE_LIMIT_MAX: '10', RATE_LIMIT_FAILED_AUTH_MAX: '4', RATE_LIMIT_WINDOW_SECONDS: '5', REDIS_URL: 'redis://127.0.0.1:6379', RATE_LIMIT_PREFIX: 'x:' }),
    { rateLimitMax: 10, rateLimitFailedAuthMax: 4, rateLimitWindowSeconds: 5, redisUrl: 'redis://127.0.0.1:6379', rateLimitPrefix: 'x:' })
  t.throws(() => loadConfig({ RATE_LIMIT_MAX: '0' }), /RATE_LIMIT_MAX must be an integer from 1/)
  t.throws(() => loadConfig({ RATE_LIMIT_WINDOW_SECONDS: '1.5' }), /RATE_LIMIT_WINDOW_SECONDS must be an integer/)
})

t.test('TRUST_PROXY: off by default; the proxies\' addresses; never a bare true or a hop count', async (t) => {
  t.equal(loadConfig({}).trustProxy, false)
  t.throws(() => loadConfig({ TRUST_PROXY: '1' }), /hop counts are not trusted/)
  t.equal(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8,loopback' }).trustProxy, '10.0.0.0/8,127.0.0.1,::1,fd00::/8,loopback')
  t.throws(() => loadConfig({ TRUST_PROXY: 'true' }), /TRUST_PROXY must be the proxies' addresses or CIDRs, e\.g\. 10\.0\.0\.0\/8, got "true": "true" would let any client choose its own address/)
  for (const bad of ['0', 'yes', '10.0.0.0/33', '300.1.1.1', 'example.com', '10.0.0.1/8/1']) {
    t.throws(() => loadConfig({ TRUST_PROXY: bad }), /TRUST_PROXY must be/, bad)
  }
})

t.test('TOKEN_SIGNING_KEY: unset, or at least 64 characters', async (t) => {
  t.equal(loadConfig({}).tokenSigningKey, undefined, 'unset: the app makes a random one')
  t.same(loadConfig({ TOKEN_SIGNING_KEY: 'k'.repeat(64) }).tokenSigningKey, new TextEncoder().encode('k'.repeat(64)))
  t.throws(() => loadConfig({ TOKEN_SIGNING_KEY: 'short' }), /TOKEN_SIGNING_KEY must be at least 64 characters/)
})

t.test('SHUTDOWN_GRACE_SECONDS: 10 by default, a whole number of seconds from 1 to an hour', async (t) => {
  t.equal(loadConfig({}).shutdownGraceSeconds, 10)
  t.equal(loadConfig({ SHUTDOWN_GRACE_SECONDS: '30' }).shutdownGraceSeconds, 30)
  t.throws(() => loadConfig({ SHUTDOWN_GRACE_SECONDS: '0' }), /SHUTDOWN_GRACE_SECONDS must be an integer from 1 to 3600/)
  t.throws(() => loadConfig({ SHUTDOWN_GRACE_SECONDS: '7200' }), /SHUTDOWN_GRACE_SECONDS must be an integer from 1 to 3600/)
})

t.test('.env supplies what the environment does not set; the environment wins; none is fine', async (t) => {
  const dir = t.testdir({ '.env': 'PORT=4100\nHOST=0.0.0.0\n# a comment\nDATABASE_APP_ROLE="from_file"\n' })
  const saved = { ...process.env }
  t.teardown(() => { process.env = saved })
  delete process.env.PORT
  delete process.env.DATABASE_APP_ROLE
  process.env.HOST = '127.0.0.2'
  readEnvFile(join(dir, '.env'))
  t.match(loadConfig(), { port: 4100, host: '127.0.0.2', databaseAppRole: 'from_file' })
  t.doesNotThrow(() => readEnvFile(join(dir, 'no-such.env')), 'no file: nothing to add')
  t.throws(() => readEnvFile(dir), /^cannot read .*: not a regular file$/, 'a directory is one line')
  t.throws(() => readEnvFile('/dev/zero'), /not a regular file/, 'so is a device, which would never end')
  const huge = join(t.testdir({ '.env': 'A=1\n'.repeat(20_000) }), '.env')
  t.throws(() => readEnvFile(huge), /larger than 64 KiB/, 'and a file too large to parse quickly')
})
