// `npm install` and `npm ci` run this after installing (npm's `prepare`): it builds dist/ with the devDependencies.
// Under `--omit=dev` they are absent (TypeScript itself may still come, as a peer of @prisma/client, but not the
// configuration it builds with): that install is for a copy built elsewhere (a build stage's dist/, copied over),
// so say so instead of failing the install.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
let tsc
try {
  require.resolve('fastify-tsconfig/tsconfig.json') // tsconfig.json extends it: a devDependency, and no one's peer
  tsc = require.resolve('typescript/bin/tsc')
} catch {
  if (!existsSync(new URL('../dist/src/server.js', import.meta.url))) {
    console.warn('tracker-users: installed without devDependencies and not built: build it where they are (npm ci && npm run build), then copy dist/')
  }
  process.exit(0)
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit', cwd: new URL('..', import.meta.url) })
