// prisma/models.prisma -> generated/prisma/<provider>/schema.prisma + the Prisma client generated from it.
// One hand-written data model, one schema and one client per provider: a Prisma schema names exactly one
// datasource provider, and the client embeds it.
// Usage: tsx scripts/prisma.ts [--check]
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { PROVIDER_DIRECTORY } from '../src/db/migrations.js'
import type { Provider } from '../src/db/url.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const MODELS = join(ROOT, 'prisma/models.prisma')
const OUT = join(ROOT, 'generated/prisma')

/**
 * Kysely's table types (prisma-kysely), from the Postgres schema only: the app's drivers hand both providers'
 * rows over as Postgres' do (booleans, JSON values, Dates; src/db/query.ts).
 */
const KYSELY_GENERATOR = `
generator kysely {
  provider        = "prisma-kysely"
  output          = "./kysely"
  fileName        = "database.ts"
  importExtension = ".js"
  camelCase       = true
}
`

/** The schema of one provider: a header plus the models, verbatim. */
export function renderSchema (provider: Provider, models = readFileSync(MODELS, 'utf8')): string {
  // Every option is explicit so that nothing depends on the tsconfig or package.json the generator finds:
  // TypeScript files importing each other as `./x.js`, which NodeNext, tsc and tsx all accept.
  return `// Generated from prisma/models.prisma — do not edit
generator client {
  provider               = "prisma-client"
  output                 = "./client"
  runtime                = "nodejs"
  moduleFormat           = "esm"
  generatedFileExtension = "ts"
  importFileExtension    = "js"
}
${provider === 'postgresql' ? KYSELY_GENERATOR : ''}
// No url: Prisma 7 takes the connection from the driver adapter (src/db/client.ts).
datasource db {
  provider = "${provider}"
}

${models}`
}

/** Writes the schemas and clients into `outDir` (generated/prisma, or a scratch copy for --check). */
function render (outDir: string): void {
  const cli = join(dirname(createRequire(import.meta.url).resolve('prisma/package.json')), 'build/index.js')
  for (const [provider, dir] of Object.entries(PROVIDER_DIRECTORY) as Array<[Provider, string]>) {
    const schema = join(outDir, dir, 'schema.prisma')
    rmSync(join(outDir, dir), { recursive: true, force: true }) // no stale files from removed models
    mkdirSync(dirname(schema), { recursive: true })
    writeFileSync(schema, renderSchema(provider))
    const run = spawnSync(process.execPath, [cli, 'generate', '--schema', relative(ROOT, schema), '--no-hints'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        // The CLI insists on locating its native schema engine even though generate never runs it, and
        // cannot download one here; any existing file satisfies the check.
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1'
      }
    })
    if (run.status !== 0) throw new Error(`prisma generate failed for ${provider}:\n${run.stdout}${run.stderr}`)
  }
}

function files (dir: string): Map<string, string> {
  const found = new Map<string, string>()
  if (!existsSync(dir)) return found
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    found.set(relative(dir, path), readFileSync(path, 'utf8'))
  }
  return found
}

function differences (expected: Map<string, string>, actual: Map<string, string>): string[] {
  const names = new Set([...expected.keys(), ...actual.keys()])
  return [...names].sort().filter((name) => expected.get(name) !== actual.get(name))
}

function main (): void {
  if (!process.argv.includes('--check')) {
    render(OUT)
    console.log(`wrote ${relative(ROOT, OUT)}/{${Object.values(PROVIDER_DIRECTORY).join(',')}}`)
    return
  }
  // Inside the project, so that the generator resolves @prisma/client exactly as it does for OUT.
  mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true })
  const scratch = mkdtempSync(join(ROOT, 'node_modules/.cache/prisma-check-'))
  try {
    render(scratch)
    const stale = differences(files(scratch), files(OUT))
    if (stale.length > 0) {
      console.error(`generated/prisma is stale (${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', …' : ''}): run npm run generate`)
      process.exitCode = 1
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main()
