// `npm install` and `npm ci` run this after installing (npm's `prepare`): it builds dist/ with the TypeScript the
// devDependencies bring. Under `--omit=dev` there is no TypeScript, and nothing to build with: that install is for
// a copy already built (a build stage's dist/, copied over), so say so instead of failing the install.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

let tsc
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
} catch {
  if (!existsSync(new URL('../dist/src/server.js', import.meta.url))) {
    console.warn('tracker-users: installed without devDependencies and not built: build it where they are (npm ci && npm run build), then copy dist/')
  }
  process.exit(0)
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit', cwd: new URL('..', import.meta.url) })
