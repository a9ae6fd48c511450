import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JsonAnswer {
  status: number;
  body: unknown;
}

/**
 * A JSON HTTP server on a free loopback port for a fake platform cloud:
 * `handle` answers each request; a thrown error is a 500 with its message.
 */
export async function startJsonServer(handle: (req: IncomingMessage) => Promise<JsonAnswer>): Promise<{ server: Server; url: string; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const reply = ({ status, body }: JsonAnswer) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    void handle(req).then(reply, (err: unknown) => reply({ status: 500, body: { message: String(err) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request body as JSON ({} when empty). */
export async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
}
