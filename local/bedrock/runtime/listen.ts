/**
 * One loopback port for both HTTP versions: the control-plane SDK client speaks HTTP/1.1, the runtime
 * client (`@aws-sdk/client-bedrock-runtime`) speaks HTTP/2 without TLS (prior knowledge). Each new
 * connection is routed by its first bytes (the HTTP/2 connection preface) to the matching server; both
 * serve the same request listener.
 */
import { createServer as createHttp1, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2, type Http2Session } from 'node:http2';
import { type AddressInfo, createServer as createNet, type Socket } from 'node:net';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** A listening server for HTTP/1.1 and cleartext HTTP/2. */
interface DualServer {
  readonly address: string;
  readonly port: number;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

function isHttp2(chunk: Buffer): boolean {
  const length = Math.min(chunk.length, PREFACE.length);
  return length > 0 && chunk.subarray(0, length).equals(PREFACE.subarray(0, length));
}

/**
 * Listens on `host:port` (0 picks a free port) and serves `listener` over HTTP/1.1 and HTTP/2.
 *
 * @example const server = await listenDual(requestListener(operations), 0, '127.0.0.1');
 */
export async function listenDual(
  listener: (request: IncomingMessage, response: ServerResponse) => void,
  port: number,
  host: string,
): Promise<DualServer> {
  const http1 = createHttp1(listener);
  const http2 = createHttp2(listener as unknown as Parameters<typeof createHttp2>[1]);
  const sessions = new Set<Http2Session>();
  const sockets = new Set<Socket>();
  http2.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const server = createNet((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      (isHttp2(chunk) ? http2 : http1).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  return {
    address: bound.address,
    port: bound.port,
    async close() {
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
