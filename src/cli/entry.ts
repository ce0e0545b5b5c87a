import { main } from './main.js';

// A reader that leaves early (`minapay ledger delegators ... | head`) closes the pipe, and each later write fails
// with EPIPE, which Node raises as an 'error' event: unheard, it killed the run with a stack trace. The output has
// nobody to read it, so the error is dropped and the command runs to its end: one that moves money is never cut
// short between a payment and its journal by a reader going away. Any other error of the streams still stops the run.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/** The process edge: real streams and environment in, exit code out. */
const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
process.exitCode = code;
