// `tracker-users plaspy-user …`: Plaspy issues API keys from its web UI, never over the API, so here they
// come from the command line.
import { Command } from 'commander'
import { print, withDatabase, type Output } from '../platform/command.js'
import { createLogin, regenerateKey, revokeKeys } from './logins.js'

export function plaspyUserCommand (output: Output): Command {
  const command = new Command('plaspy-user')
    .description('Plaspy users who trade their API key for a bearer token at POST /api/Auth/Token: create, key regenerate|revoke')
    .addHelpText('after', '\nExample:\n  $ tracker-users plaspy-user create --account acme --user jane --email jane@example.com --json\n  $ tracker-users plaspy-user key regenerate --user jane')
  command.command('create')
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
      print(output, await withDatabase((db) => createLogin(db, login)), Boolean(json))
    })
  command.addCommand(keyCommand(output))
  return command
}

function keyCommand (output: Output): Command {
  const command = new Command('key').description('a Plaspy user\'s API key; tokens bought with a replaced key stop working at once')
  command.command('regenerate')
    .description('revoke the user\'s keys and mint a new one; the key is shown once')
    .requiredOption('--user <userName>', 'login name')
    .option('--json', 'print JSON')
    .action(async ({ user, json }) => {
      print(output, await withDatabase((db) => regenerateKey(db, user)), Boolean(json))
    })
  command.command('revoke')
    .description('revoke the user\'s keys: no new tokens, and the ones issued stop working')
    .requiredOption('--user <userName>', 'login name')
    .option('--json', 'print JSON')
    .action(async ({ user, json }) => {
      print(output, await withDatabase((db) => revokeKeys(db, user)), Boolean(json))
    })
  return command
}
