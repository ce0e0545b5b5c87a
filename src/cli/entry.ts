import { main } from './main.js';

/** The process edge: real streams and environment in, exit code out. */
const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
process.exitCode = code;
