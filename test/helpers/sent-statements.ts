/**
 * What a database client is sent from now on, for tests and benches that check which statements the
 * search engine sends: PGlite's `exec` (the engine's messages), or `query` on each connection a
 * node-postgres pool hands out (the engine checks one out per message; `pool.query` goes through them
 * too). `onSent` gets each call's arguments.
 */
type Client = Record<string, (...args: unknown[]) => unknown>;

/** `db`: a Drizzle database (its `$client` is the driver's client). */
export function watchSentStatements(db: object, onSent: (args: unknown[]) => void): void {
  const client = (db as { $client: Client }).$client;
  const watch = (target: Client, method: string) => {
    const send = target[method].bind(target);
    target[method] = (...args: unknown[]) => {
      onSent(args);
      return send(...args);
    };
  };
  if (typeof client.exec === 'function') {
    watch(client, 'exec');
    return;
  }
  const watched = new WeakSet<object>();
  const watchOnce = (connection: Client | undefined) => {
    if (!connection || watched.has(connection)) return;
    watched.add(connection);
    watch(connection, 'query');
  };
  const connect = client.connect.bind(client);
  // The pool itself calls connect with a callback (pool.query); the engine awaits it.
  client.connect = (callback?: unknown) => {
    if (typeof callback === 'function') {
      return connect((error: unknown, connection: Client | undefined, done: unknown) => {
        watchOnce(connection);
        callback(error, connection, done);
      });
    }
    return (connect() as Promise<Client>).then((connection) => {
      watchOnce(connection);
      return connection;
    });
  };
}
