// `tracker-users`: migrations and credentials, against the database the server uses (DATABASE_URL, or the
// embedded SQLite file).
import { createRequire } from 'node:module'
import { Command } from 'commander'
import { migrateForCommand, print } from './platform/command.js'
import { plaspyUserCommand } from './plaspy/commands.js'
import { roamKeyCommand } from './roam/commands.js'

const { version } = createRequire(import.meta.url)('../package.json') as { version: string }

const program = new Command('tracker-users')
  .description('Roam.ai and Plaspy Users APIs in one server: migrate its database and issue credentials. ' +
    'Both vendors issue credentials from their dashboards, never over the API, so here they come from the ' +
    'command line. Secrets are printed once and stored only as hashes.')
  .version(version)
  .showHelpAfterError()
  .addHelpText('after', `
Environment:
  DATABASE_URL   file:<path> (SQLite) or postgresql://…[?schema=name]; unset: ./data/tracker-users.db,
                 migrated by every command. The server (npm start) reads the same variable; on Postgres
                 the commands connect as the tables' owner, the server as its own role (see README).

Every command takes --json for output that scripts can read; errors are then JSON on stderr too.

Examples:
  $ tracker-users roam-key create --account acme --json
  $ tracker-users plaspy-user create --account acme --user jane --email jane@example.com
  $ DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test tracker-users migrate`)

program.command('migrate')
  .description('apply the database migrations (DATABASE_URL, or the embedded SQLite file); already applied ones are skipped')
  .option('--json', 'print JSON: {"applied": [names]}')
  .action(async ({ json }) => print(await migrateForCommand(), Boolean(json)))

program.addCommand(roamKeyCommand())
program.addCommand(plaspyUserCommand())

try {
  await program.parseAsync()
} catch (error) {
  // A bad DATABASE_URL, an unreachable server: one clear line, not a stack trace.
  const message = (error as Error).message
  if (process.argv.includes('--json')) console.error(JSON.stringify({ error: message }))
  else console.error(`tracker-users: ${message}`)
  process.exitCode = 1
}
