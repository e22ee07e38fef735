// `tracker-users`: migrations and credentials, against the database the server uses (DATABASE_URL, or the
// embedded SQLite file).
import { Command } from 'commander'
import { openDatabase, type Database } from './db/client.js'
import { isUniqueViolation } from './db/errors.js'
import { migrate } from './db/migrate.js'
import { databaseProvider } from './db/url.js'
import { createLogin } from './plaspy/logins.js'
import { createRoamKey } from './roam/keys.js'

const databaseUrl = process.env.DATABASE_URL || undefined

/** Opens the database for one command; the embedded default is migrated first, as `npm start` does. */
async function withDatabase<T> (work: (db: Database) => Promise<T>): Promise<T> {
  if (databaseProvider(databaseUrl) === 'sqlite') await migrate(databaseUrl)
  const db = await openDatabase(databaseUrl)
  try {
    return await work(db)
  } finally {
    await db.close()
  }
}

/** Prints a result as JSON, or as `key: value` lines for a person. */
function print (result: object, json: boolean): void {
  if (json) return console.log(JSON.stringify(result))
  for (const [key, value] of Object.entries(result)) console.log(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
}

const program = new Command('tracker-users')
  .description('Roam.ai and Plaspy Users APIs in one server: database and credentials')
  .showHelpAfterError()

program.command('migrate')
  .description('apply the database migrations (DATABASE_URL, or the embedded SQLite file)')
  .option('--json', 'print JSON')
  .action(async ({ json }) => print(await migrate(databaseUrl), Boolean(json)))

program.command('roam-key')
  .description('Roam API keys')
  .command('create')
  .description('mint an API key for a new project of an account (or for --project); the key is shown once')
  .requiredOption('--account <name>', 'account name (created if new)')
  .option('--project <id>', 'an existing project of the account')
  .option('--json', 'print JSON')
  .action(async ({ account, project, json }) => {
    print(await withDatabase(({ prisma }) => createRoamKey(prisma, account, project)), Boolean(json))
  })

program.command('plaspy-user')
  .description('Plaspy users who sign in with an API key')
  .command('create')
  .description('create a user with read and write privileges and an API key; the key is shown once')
  .requiredOption('--account <name>', 'account name (created if new)')
  .requiredOption('--user <userName>', 'login name for POST /api/Auth/Token')
  .requiredOption('--email <email>', 'email address')
  .option('--name <name>', 'display name (default: the user name)')
  .option('--country <country>', 'ISO 3166 country', 'US')
  .option('--time-zone <zone>', 'IANA time zone', 'UTC')
  .option('--json', 'print JSON')
  .action(async ({ account, user, email, name, country, timeZone, json }) => {
    const login = { accountName: account, userName: user, email, name, country, timeZone }
    try {
      print(await withDatabase(({ prisma }) => createLogin(prisma, login)), Boolean(json))
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      program.error(`a user named "${user}" or with email "${email}" already exists`)
    }
  })

await program.parseAsync()
