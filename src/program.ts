// The `tracker-users` program: migrations and credentials, against the database the server uses (DATABASE_URL,
// or the embedded SQLite file). src/cli.ts runs it for the command line; tests run it in-process, as they build
// the server's app (src/app.ts) rather than spawn it.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Command, CommanderError } from 'commander'
import { readEnvFile } from './config.js'
import { conformanceCommand } from './conformance/command.js'
import { resetCommand, seedCommand } from './fixtures/commands.js'
import { PACKAGE_ROOT } from './platform/package-root.js'
import { migrateForCommand, print, processOutput, resolveForCommand, type Output } from './platform/command.js'
import { plaspyUserCommand } from './plaspy/commands.js'
import { roamKeyCommand } from './roam/commands.js'

const { version } = createRequire(join(PACKAGE_ROOT, 'package.json'))('./package.json') as { version: string }

/**
 * Every command, writing to `output`; commander's own errors and exits become CommanderErrors (runCommand). With
 * `json`, commander's errors (a missing option, an unknown command) are JSON too, as the help promises.
 */
export function buildProgram (output: Output, { json = false } = {}): Command {
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
    .action(async ({ json, appRole }) => print(output, await migrateForCommand(appRole), Boolean(json)))

  const resolveCommand = migrateCommand.command('resolve')
    .description('after a migration failed: mark it rolled back (the next migrate runs it again) or applied (you completed it by hand), as prisma migrate resolve does')
    .option('--rolled-back <migration>', 'the failed migration to run again')
    .option('--applied <migration>', 'the failed migration to count as done')
    .option('--json', 'print JSON: {"resolved": name, "as": "rolled-back" | "applied"}')
    .action(async ({ rolledBack, applied, json }: { rolledBack?: string, applied?: string, json?: boolean }) => {
      if ((rolledBack === undefined) === (applied === undefined)) resolveCommand.error('error: migrate resolve takes one of --rolled-back <migration> or --applied <migration>')
      print(output, await resolveForCommand((rolledBack ?? applied)!, rolledBack === undefined ? 'applied' : 'rolled-back'), Boolean(json))
    })

  program.addCommand(roamKeyCommand(output))
  program.addCommand(plaspyUserCommand(output))
  program.addCommand(seedCommand(output))
  program.addCommand(resetCommand(output))
  program.addCommand(conformanceCommand(output))
  for (const command of everyCommand(program)) {
    command.configureOutput(json ? { ...output, outputError: asJsonError } : output).exitOverride()
    if (json) command.showHelpAfterError(false)
  }
  return program
}

/** Commander's "error: …" line as the JSON the other errors are. */
function asJsonError (message: string, write: (text: string) => void): void {
  write(`${JSON.stringify({ error: message.trim().replace(/^error: /, '') })}\n`)
}

function everyCommand (command: Command): Command[] {
  return [command, ...command.commands.flatMap(everyCommand)]
}

/**
 * Runs the program on `args` (what follows `tracker-users`) and answers its exit code. A failure is one clear
 * line on stderr (JSON with --json), never a stack trace: a bad DATABASE_URL, an unreachable server. `envFile`
 * reads ./.env first, as the command line does.
 */
export async function runCommand (args: string[], { output = processOutput, envFile = false }: { output?: Output, envFile?: boolean } = {}): Promise<number> {
  const json = args.includes('--json')
  try {
    if (envFile) readEnvFile()
    await buildProgram(output, { json }).parseAsync(args, { from: 'user' })
    return 0
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode // commander has said why (help and --version: 0)
    const message = (error as Error).message
    output.writeErr(json ? `${JSON.stringify({ error: message })}\n` : `tracker-users: ${message}\n`)
    return 1
  }
}
