// `tracker-users`: migrations and credentials, against the database the server uses (DATABASE_URL, or the
// embedded SQLite file).
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Command } from 'commander'
import { readEnvFile } from './config.js'
import { conformanceCommand } from './conformance/command.js'
import { resetCommand, seedCommand } from './fixtures/commands.js'
import { PACKAGE_ROOT } from './platform/package-root.js'
import { migrateForCommand, print, resolveForCommand } from './platform/command.js'
import { plaspyUserCommand } from './plaspy/commands.js'
import { roamKeyCommand } from './roam/commands.js'

const { version } = createRequire(join(PACKAGE_ROOT, 'package.json'))('./package.json') as { version: string }

const program = new Command('tracker-users')
  .enablePositionalOptions() // an option after a subcommand is the subcommand's: `migrate resolve --json` is resolve's
  .description('Roam.ai and Plaspy Users APIs in one server: migrate its database, issue credentials, load fixtures. ' +
    'Both vendors issue credentials from their dashboards, never over the API, so here they come from the ' +
    'command line. Secrets are printed once and stored only as hashes.')
  .version(version)
  .showHelpAfterError()
  .addHelpText('after', `
Environment:
  DATABASE_URL   file:<path> (SQLite) or postgresql://…[?schema=name]; unset: ./data/tracker-users.db,
                 migrated by every command. The server (npm start) reads the same variable; on Postgres
                 the commands connect as the tables' owner, the server as its own role (see README).
  .env           settings the environment does not set, read from the working directory, as the server does.

Every command takes --json for output that scripts can read; errors are then JSON on stderr too.

Examples:
  $ tracker-users roam-key create --account acme --json
  $ tracker-users plaspy-user create --account acme --user jane --email jane@example.com
  $ tracker-users seed fixtures/vendor-samples.yaml
  $ DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test tracker-users migrate`)

const migrateCommand = program.command('migrate')
  .description('apply the database migrations (DATABASE_URL, or the embedded SQLite file); already applied ones are skipped')
  .option('--app-role <name>', 'Postgres: the role to grant the server\'s rights to (default DATABASE_APP_ROLE, else tracker_users_<database>_<schema>)')
  .option('--json', 'print JSON: {"applied": [names]}')
  .action(async ({ json, appRole }) => print(await migrateForCommand(appRole), Boolean(json)))

const resolveCommand = migrateCommand.command('resolve')
  .description('after a migration failed: mark it rolled back (the next migrate runs it again) or applied (you completed it by hand), as prisma migrate resolve does')
  .option('--rolled-back <migration>', 'the failed migration to run again')
  .option('--applied <migration>', 'the failed migration to count as done')
  .option('--json', 'print JSON: {"resolved": name, "as": "rolled-back" | "applied"}')
  .action(async ({ rolledBack, applied, json }: { rolledBack?: string, applied?: string, json?: boolean }) => {
    if ((rolledBack === undefined) === (applied === undefined)) resolveCommand.error('error: migrate resolve takes one of --rolled-back <migration> or --applied <migration>')
    print(await resolveForCommand((rolledBack ?? applied)!, rolledBack === undefined ? 'applied' : 'rolled-back'), Boolean(json))
  })

program.addCommand(roamKeyCommand())
program.addCommand(plaspyUserCommand())
program.addCommand(seedCommand())
program.addCommand(resetCommand())
program.addCommand(conformanceCommand())

try {
  readEnvFile()
  await program.parseAsync()
} catch (error) {
  // A bad DATABASE_URL, an unreachable server: one clear line, not a stack trace.
  const message = (error as Error).message
  if (process.argv.includes('--json')) console.error(JSON.stringify({ error: message }))
  else console.error(`tracker-users: ${message}`)
  process.exitCode = 1
}
