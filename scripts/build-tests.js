// `npm test`'s build (npm's `pretest`): the sources and the tests compiled together into dist/ (tsconfig.test.json),
// then the compiled copy of each test whose source is gone removed: tsc never deletes what it emitted, and tap would
// go on running a deleted or renamed test from dist/test/.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

process.chdir(fileURLToPath(new URL('..', import.meta.url)))
execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.test.json'], { stdio: 'inherit' })
for (const file of readdirSync('dist/test', { recursive: true })) {
  if (file.endsWith('.test.js') && !existsSync(join('test', file.replace(/\.js$/, '.ts')))) {
    rmSync(join('dist/test', file))
    rmSync(join('dist/test', `${file}.map`), { force: true })
  }
}
