import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CliError } from '../cli/errors';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** The dashboard's HTTP server: bound first, then handed to Next once the app is ready. */
export interface DashboardListener {
  address: string;
  /** The bound port (the real one when 0 was asked for). */
  port: number;
  serve(handler: Handler): void;
  close(): Promise<void>;
}

/** Until Next is ready, every request gets 503 so health checks keep waiting. */
const starting: Handler = (_request, response) => {
  response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
  response.end('Meshscope is starting; try again in a moment.\n');
};

function listenError(error: NodeJS.ErrnoException, address: string, port: number): CliError {
  if (error.code === 'EADDRINUSE') {
    return new CliError(
      `Port ${port} on ${address} is already in use (another Meshscope?); choose another with --port.`,
      { cause: error },
    );
  }
  if (error.code === 'EACCES')
    return new CliError(`Not allowed to listen on ${address}:${port}.`, { cause: error });
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return new CliError(`Address ${address} is not available on this machine.`, { cause: error });
  }
  return new CliError(`Cannot listen on ${address}:${port}: ${error.message}`, { cause: error });
}

/**
 * Binds the port before anything slow happens (build, simulator), so a port in use fails in a
 * second, and answers 503 until `serve` installs the real handler.
 */
export function listen(address: string, port: number): Promise<DashboardListener> {
  let handler: Handler = starting;
  const server: Server = createServer((request, response) => handler(request, response));
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, address, port)));
    server.listen({ host: address, port }, () => {
      const bound = server.address();
      resolve({
        address,
        port: typeof bound === 'object' && bound !== null ? bound.port : port,
        serve(next) {
          handler = next;
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/**
 * Loads the production build in this process with Next's custom-server API and returns its
 * request handler. Environment variables the app reads must be set before this is called.
 */
export async function loadNextHandler(options: {
  dir: string;
  address: string;
  port: number;
}): Promise<Handler> {
  Object.assign(process.env, { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' });
  const { default: next } = await import('next');
  const app = next({ dev: false, dir: options.dir, hostname: options.address, port: options.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      // Next answers its own errors; this only catches a failure of Next itself.
      console.error(`meshscope: request ${request.url} failed:`, error);
      if (!response.headersSent) response.writeHead(500).end();
    });
  };
}
