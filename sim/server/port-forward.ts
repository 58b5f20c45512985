/**
 * `pods/NAME/portforward` over WebSocket with the `v4.channel.k8s.io` framing that
 * @kubernetes/client-node's PortForward speaks: per port a data channel (2i) and an error channel
 * (2i+1); the first frame on each carries the port number (little-endian uint16); every later
 * frame is `[channel byte][payload]`. Bytes reach the pod's listener as a real HTTP connection,
 * so localhost-only ports such as Envoy's admin port 15000 are reachable this way, as in Istio.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { duplexPair } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { PodListener } from './pod-network';

const channelProtocols = ['v4.channel.k8s.io'];

function portFrame(channel: number, port: number): Buffer {
  const frame = Buffer.alloc(3);
  frame[0] = channel;
  frame.writeUInt16LE(port, 1);
  return frame;
}

function dataFrame(channel: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), payload]);
}

export class PortForwarder {
  private readonly sockets = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => channelProtocols.find((protocol) => offered.has(protocol)) ?? false,
  });
  /** Parses the forwarded bytes as HTTP and hands each request to the listener of its connection. */
  private readonly http: Server;
  private readonly listenerOf = new WeakMap<object, PodListener>();

  constructor() {
    this.http = createServer(async (request, response) => {
      const listener = this.listenerOf.get(request.socket);
      if (!listener) {
        response.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const answer = await listener.handle({
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      response.writeHead(answer.status, {
        ...answer.headers,
        'content-length': String(Buffer.byteLength(answer.body)),
      });
      response.end(answer.body);
    });
  }

  /** Complete the upgrade and bridge each requested port; `listeners` has one entry per port. */
  upgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    ports: { port: number; listener: PodListener | undefined; failure: string }[],
  ): void {
    this.sockets.handleUpgrade(request, socket, head, (webSocket) => {
      for (const [index, entry] of ports.entries()) this.bridge(webSocket, entry, index);
    });
  }

  private bridge(
    webSocket: WebSocket,
    entry: { port: number; listener: PodListener | undefined; failure: string },
    index: number,
  ): void {
    const dataChannel = index * 2;
    const errorChannel = dataChannel + 1;
    webSocket.send(portFrame(dataChannel, entry.port));
    webSocket.send(portFrame(errorChannel, entry.port));
    const listener = entry.listener;
    if (!listener) {
      webSocket.send(dataFrame(errorChannel, Buffer.from(entry.failure)));
      webSocket.close(1000);
      return;
    }
    const [outside, inside] = duplexPair();
    this.listenerOf.set(inside, listener);
    this.http.emit('connection', inside);
    outside.on('data', (chunk: Buffer) => {
      if (webSocket.readyState === webSocket.OPEN) webSocket.send(dataFrame(dataChannel, chunk));
    });
    outside.on('end', () => webSocket.close(1000));
    webSocket.on('message', (message: Buffer) => {
      if (message.length > 0 && message[0] === dataChannel) outside.write(message.subarray(1));
    });
    webSocket.on('close', () => {
      outside.destroy();
      inside.destroy();
    });
  }

  close(): void {
    for (const client of this.sockets.clients) client.terminate();
    this.http.close();
  }
}
