/** Small HTTP helpers for the simulated API server: JSON bodies, Status errors, body reading, streaming. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createGzip, constants as zlibConstants } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { StatusError, statusErrors } from '../cluster/status-error';

/** Largest request body accepted; Istio's biggest CRD is well under this. */
const maxBodyBytes = 16 * 1024 * 1024;

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json',
): void {
  // Encoded once: Content-Length is the length of the bytes written.
  const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': payload.length });
  response.end(payload);
}

export function sendText(
  response: ServerResponse,
  status: number,
  body: string | Buffer,
  contentType = 'text/plain; charset=utf-8',
): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

/** Whether an Accept-Encoding header admits gzip (listed, or `*`, without `q=0`). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  let star: boolean | undefined;
  for (const item of text.split(',')) {
    const [coding = '', ...parameters] = item.split(';').map((part) => part.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') return accepted;
    if (coding === '*') star = accepted;
  }
  return star ?? false;
}

/** How long a streamed body may hold the event loop before it lets timers and other requests run. */
const streamSliceMs = 8;

/** A body produced chunk by chunk. */
export interface ChunkedBody {
  chunks: Iterable<Uint8Array>;
  /** called with each chunk once nothing reads it any more (so its memory can be reused) */
  release?: (chunk: Uint8Array) => void;
}

/** Resolves on 'drain'; rejects when the stream is destroyed or fails first. */
function drained(stream: Writable): Promise<void> {
  if (stream.destroyed) return Promise.reject(new Error('the stream closed before it drained'));
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      stream.off('error', onError);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      reject(new Error('the stream closed before it drained'));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    stream.on('drain', onDrain);
    stream.on('close', onClose);
    stream.on('error', onError);
  });
}

/**
 * Write the chunks to `target` as it takes them (waiting for 'drain' when it is full) and end it;
 * the event loop gets a turn whenever producing and writing took `streamSliceMs`.
 */
async function pump(body: ChunkedBody, target: Writable): Promise<void> {
  const release = body.release;
  let sliceStarted = performance.now();
  for (const chunk of body.chunks) {
    if (target.destroyed) throw new Error('the response closed before its body was sent');
    const more = target.write(
      chunk,
      release
        ? (error) => {
            if (!error) release(chunk);
          }
        : undefined,
    );
    if (!more) {
      await drained(target);
      sliceStarted = performance.now();
    } else if (performance.now() - sliceStarted >= streamSliceMs) {
      await nextTurn();
      sliceStarted = performance.now();
    }
  }
  target.end();
}

/**
 * Send a body produced chunk by chunk (chunked transfer encoding, no Content-Length), gzipped at
 * zlib's fastest level when the client accepts it. Chunks are produced as the socket (or the
 * compressor, on libuv's thread pool) takes them, so the body is never whole in memory, and the
 * event loop gets a turn every few milliseconds of work, so a body of hundreds of megabytes does
 * not stall the ticks and requests sharing it. Resolves once the body has been handed to the socket.
 */
export async function streamText(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: ChunkedBody,
  contentType = 'text/plain; charset=utf-8',
): Promise<void> {
  const gzip = acceptsGzip(request.headers['accept-encoding']);
  response.writeHead(status, {
    'Content-Type': contentType,
    Vary: 'Accept-Encoding',
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
  });
  if (!gzip) {
    await pump(body, response);
    await finished(response);
    return;
  }
  const compressor = createGzip({ level: zlibConstants.Z_BEST_SPEED, chunkSize: 64 * 1024 });
  const sent = pipeline(compressor, response);
  const compressed = pump(body, compressor).catch((error: unknown) => {
    compressor.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  });
  await Promise.all([compressed, sent]);
}

export function sendError(response: ServerResponse, error: unknown): void {
  const statusError =
    error instanceof StatusError
      ? error
      : new StatusError(
          500,
          'InternalError',
          `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`,
        );
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (statusError.code === 429 && statusError.details?.retryAfterSeconds !== undefined) {
    response.setHeader('Retry-After', String(statusError.details.retryAfterSeconds));
  }
  sendJson(response, statusError.code, statusError.toStatus());
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) throw new StatusError(413, 'BadRequest', 'request entity too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Parse a request body by its Content-Type: JSON, or YAML for server-side apply. */
export function parseBody(body: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? 'application/json').split(';')[0]?.trim() ?? '';
  if (type.includes('protobuf')) {
    throw statusErrors.unsupportedMediaType(['application/json', 'application/yaml']);
  }
  const text = body.toString('utf8');
  if (text.trim() === '') throw statusErrors.badRequest('the body of the request is empty');
  try {
    return type === 'application/apply-patch+yaml' || type === 'application/yaml'
      ? parseYaml(text)
      : JSON.parse(text);
  } catch (error) {
    throw statusErrors.badRequest(
      `the body of the request could not be decoded: ${error instanceof Error ? error.message : 'invalid JSON'}`,
    );
  }
}

/** Split a path into percent-decoded segments (client-node sends `pod%3A15090` and `stats%2Fprometheus`). */
export function pathSegments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}
