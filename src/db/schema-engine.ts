// Prisma's schema engine (migrations) as WebAssembly, driven through our driver adapters: no native
// binary to download, and the `_prisma_migrations` table it keeps is the one `prisma migrate deploy` reads.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory
} from '@prisma/driver-adapter-utils'
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg'
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg'
import { migrationsDirectory } from './migrations.js'
import type { Provider } from './url.js'

export type { MigrationList, SchemaEngine }

export const NO_FILTER = { externalTables: [], externalEnums: [] }

let loaded: Promise<void> | undefined

// The tsconfig's lib has no DOM, hence no WebAssembly types; this is all we use of the global.
declare const WebAssembly: {
  instantiate (bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>
}

/**
 * The package's entry imports the .wasm file as an ES module, which Node 20 refuses; so instantiate the
 * bytes ourselves and hand the exports to the glue. `__wbindgen_start` must run too: it reserves the
 * table slots of undefined/null/true/false, without which every `()` result is rejected ("expected unit").
 */
function loadWasm (): Promise<void> {
  loaded ??= (async () => {
    const wasm = new URL('./schema_engine_bg.wasm', import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'))
    const { instance } = await WebAssembly.instantiate(await readFile(wasm), { './schema_engine_bg.js': unrefTimers(glue) })
    glue.__wbg_set_wasm(instance.exports)
    ;(instance.exports.__wbindgen_start as () => void)()
  })()
  return loaded
}

/**
 * The engine arms 10 s timers and never clears them (its glue imports no clearTimeout): a `migrate`
 * command would linger 10 s after finishing. Unreferenced, they no longer keep the process alive.
 */
function unrefTimers (imports: typeof glue): Record<string, unknown> {
  return Object.fromEntries(Object.entries(imports).map(([name, value]) => [name,
    name.startsWith('__wbg_setTimeout_')
      ? (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref()
      : value]))
}

/**
 * Runs `work` with an engine on `factory`'s database, then frees the engine and closes every connection it
 * opened (freeing the engine does not, and an open pg pool would keep the process alive).
 */
export async function withSchemaEngine<T> (
  factory: SqlMigrationAwareDriverAdapterFactory,
  schema: string | undefined,
  work: (engine: SchemaEngine) => Promise<T>
): Promise<T> {
  await loadWasm()
  const opened: SqlDriverAdapter[] = []
  // The engine disposes some connections itself (the shadow database's) but not others: dispose once.
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    let disposed: Promise<void> | undefined
    const dispose = adapter.dispose.bind(adapter)
    adapter.dispose = () => (disposed ??= dispose())
    opened.push(adapter)
    return adapter
  }
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(await factory.connect()),
    connectToShadowDb: async () => track(await factory.connectToShadowDb())
  }
  const engine = await glue.SchemaEngine.new(
    { datamodels: schema === undefined ? undefined : [['schema.prisma', schema]] },
    () => {}, // JSON log lines at INFO level: nothing a user needs; errors come back as exceptions
    bindMigrationAwareSqlAdapterFactory(tracked)
  )
  try {
    return await work(engine)
  } finally {
    engine.free()
    await Promise.all(opened.map((adapter) => adapter.dispose()))
  }
}

/** prisma/migrations/<provider> in the shape the engine reads (the layout `prisma migrate` writes). */
export async function readMigrations (provider: Provider): Promise<MigrationList> {
  const baseDir = migrationsDirectory(provider)
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => [])
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(join(baseDir, 'migration_lock.toml'), 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: await readFile(join(baseDir, name, 'migration.sql'), 'utf8')
          .then((value) => ({ tag: 'ok' as const, value }), (error: Error) => ({ tag: 'error' as const, value: error.message }))
      }
    })))
  }
}
