/** `fea serve <ws>`: server mode, the app in a browser. Runs until SIGINT/SIGTERM, then closes the database cleanly. */
import type { Command } from 'commander';
// The server (express) loads only when serving, so other commands start fast.
import { DEFAULT_HOST, DEFAULT_PORT, ServerConfigError } from '../../server/security';
import { setQueryMonitor } from '../../db/repositories/named';
import { CliError, printJson } from '../output';

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the app and its API over HTTP on a loopback address')
    .argument('<workspace>', 'workspace folder')
    .option('--port <port>', `port (0 picks a free one; default: $FEA_PORT, else ${DEFAULT_PORT})`, process.env.FEA_PORT || String(DEFAULT_PORT))
    .option('--host <host>', 'loopback address to bind (non-loopback is refused: sign-in does not exist yet)', DEFAULT_HOST)
    .option('--json', 'print {"url": …} as JSON')
    .option('--quiet', 'do not log requests to stderr')
    .action(async (workspace: string, opts: { port: string; host: string; json?: boolean; quiet?: boolean }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port: ${opts.port} is not a port number`);
      let server;
      // Serving, this process is the app's main process: a slow query stalls every request behind it.
      setQueryMonitor({ enabled: true });
      try {
        const { startServer } = await import('../../server');
        server = await startServer({
          workspaceDir: workspace,
          port,
          host: opts.host,
          log: opts.quiet ? undefined : (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
        });
      } catch (err) {
        if (err instanceof ServerConfigError) throw new CliError(err.message);
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CliError(`port ${port} is in use; pick another with --port (0 picks a free one)`);
        throw err;
      }
      if (opts.json) printJson({ url: server.url, port: server.port, workspace });
      else process.stdout.write(`FEA Studio is serving ${workspace} at ${server.url}\n(Ctrl+C stops it)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
