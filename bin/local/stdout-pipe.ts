/**
 * `tessera ... | head` closes the pipe after a few lines; Node then fails the next write to stdout
 * with EPIPE, an unhandled 'error' event that prints a stack trace. A reader that stopped reading is
 * not an error of the command: exit quietly, with the code the command has set so far.
 */
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}
