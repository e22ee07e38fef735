// `tracker-users`, the command line (bin/tracker-users.js runs the build of this file): the program of
// src/program.ts on this process's arguments, after the settings of ./.env.
import { runCommand } from './program.js'

// Output that cannot be written ends the command as a shell expects: a reader that stopped early (`| head`)
// silently with 141, as SIGPIPE would (a key minted into a closed pipe is not a success); anything else (a full
// disk) with one line.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') process.stderr.write(`tracker-users: cannot write the output: ${error.message}\n`)
  process.exit(error.code === 'EPIPE' ? 141 : 1)
})

process.exitCode = await runCommand(process.argv.slice(2), { envFile: true })
