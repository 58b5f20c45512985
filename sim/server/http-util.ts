/** Small HTTP helpers for the simulated API server: JSON bodies, Status errors, body reading. */
import type { IncomingMessage, ServerResponse } from 'node:http';
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
