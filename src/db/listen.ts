import pg from 'pg';

export interface Listener {
  close(): Promise<void>;
}

/**
 * LISTEN on a channel over a connection of its own, reconnecting after errors (with a pause), and
 * calling `onNotify` after every (re)connect too — a notification sent while disconnected is
 * caught up by the caller's next look at the table.
 */
export async function listen(
  databaseUrl: string,
  channel: string,
  onNotify: (payload: string) => void,
  onError: (error: Error) => void,
): Promise<Listener> {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => onNotify(message.payload ?? ''));
    next.on('error', (error) => {
      onError(error);
      void next.end().catch(() => {});
      if (!closed && client === next) reconnectSoon();
    });
    await next.connect();
    await next.query(`LISTEN "${channel}"`);
    client = next;
    onNotify('');
  };
  const reconnectSoon = () => {
    client = null;
    retry = setTimeout(() => void connect().catch((error) => (onError(error as Error), reconnectSoon())), 1000);
    retry.unref();
  };
  await connect();
  return {
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
