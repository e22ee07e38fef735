// `tracker-users`, the command line (bin/tracker-users.js runs the build of this file): the program of
// src/program.ts on this process's arguments, after the settings of ./.env.
import { runCommand } from './program.js'

// A reader that stops early (`tracker-users --help | head`) is no failure of the command.
process.stdout.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'EPIPE') throw error })

process.exitCode = await runCommand(process.argv.slice(2), { envFile: true })
