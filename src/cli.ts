// `tracker-users`: migrations and credentials, against the database the server uses (DATABASE_URL, or the
// embedded SQLite file).
import { Command } from 'commander'
import { migrate } from './db/migrate.js'
import { databaseUrl, print } from './platform/command.js'
import { plaspyUserCommand } from './plaspy/commands.js'
import { roamKeyCommand } from './roam/commands.js'

const program = new Command('tracker-users')
  .description('Roam.ai and Plaspy Users APIs in one server: database and credentials')
  .showHelpAfterError()

program.command('migrate')
  .description('apply the database migrations (DATABASE_URL, or the embedded SQLite file)')
  .option('--json', 'print JSON')
  .action(async ({ json }) => print(await migrate(databaseUrl), Boolean(json)))

program.addCommand(roamKeyCommand())
program.addCommand(plaspyUserCommand())

try {
  await program.parseAsync()
} catch (error) {
  // A bad DATABASE_URL, an unreachable server: one clear line, not a stack trace.
  console.error(`tracker-users: ${(error as Error).message}`)
  process.exitCode = 1
}
