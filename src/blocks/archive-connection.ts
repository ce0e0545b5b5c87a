import pg from 'pg';

import { MinapayError } from '../errors.js';
import type { SqlClient } from './archive.js';

/**
 * Runs `use` with a connection to the archive database at `url`, closed
 * afterwards. Errors name the server without the URL's password.
 */
export async function withArchiveConnection<T>(url: string, use: (client: SqlClient) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A connection lost between queries is reported by the next query; without a
  // listener, pg's 'error' event would end the process instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new MinapayError('ARCHIVE_UNAVAILABLE', `archive ${describeUrl(url)}: cannot connect: ${(error as Error).message}`, { cause: error });
  }
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** user@host:port/database, never the password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username === '' ? '' : `${decodeURIComponent(parsed.username)}@`;
    return `${user}${parsed.host}${parsed.pathname}`;
  } catch {
    throw new MinapayError('USAGE', '--archive-db must be a postgres:// URL');
  }
}
