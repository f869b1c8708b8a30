import net from 'node:net';

/**
 * A TCP relay between the app and the PostgreSQL server, to take the database away and bring it
 * back as a restart or a network cut would, without touching the server others use. Nothing of ours
 * is mocked: the app's pool speaks real PostgreSQL through it.
 */
export async function tcpRelay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;

  async function listen() {
    server = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  }

  await listen();
  return {
    get port() {
      return port;
    },
    /** Connections in flight are cut and new ones refused, as when the server goes down. */
    async cut() {
      const closed = new Promise<void>((resolve) => server?.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      server = null;
    },
    /** The server is back on the same address. */
    async restore() {
      await listen();
    },
    async close() {
      if (server) await this.cut();
    },
  };
}
