import { main } from './cli.js';

// The one place that ends the process: a command is done when main() returns, whatever handles (an idle pool
// connection, a timer) are still open. On Linux, writes to pipes, files and terminals are synchronous, so
// nothing printed is lost.
process.exit(await main(process.argv));
