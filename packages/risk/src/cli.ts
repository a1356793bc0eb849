#!/usr/bin/env node
/** The `wekeza-risk` executable: see `wekeza-risk help`. */
import { runCli } from './commands.ts';

process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
});
