import type pg from 'pg';

import { MinapayError } from '../errors.js';
import type { SqlClient } from './archive.js';

/**
 * How long minapay waits for the archive database to connect, and for each
 * query, unless told otherwise: ample for the chain walk of an old epoch on a
 * mainnet archive, yet a locked table fails a cron run instead of hanging it.
 */
export const DEFAULT_DB_TIMEOUT_SECONDS = 60;
/** PostgreSQL keeps statement_timeout in milliseconds as a 32-bit integer. */
export const MAX_DB_TIMEOUT_SECONDS = 2_147_483;
/**
 * The client gives up on a query this long after the server should have
 * cancelled it: only a server that stopped answering altogether gets there.
 */
const CLIENT_GRACE_MS = 5_000;

/** pg's error when connectionTimeoutMillis passes before the server answers (pg 8.23, client.js). */
const PG_CONNECT_TIMEOUT = 'timeout expired';
/** pg's error when query_timeout passes (pg 8.23, client.js). */
const PG_QUERY_TIMEOUT = 'Query read timeout';
/** SQLSTATE query_canceled: how the server ends a statement at statement_timeout (a lock wait included). */
const QUERY_CANCELED = '57014';

/**
 * Runs `use` with a connection to the archive database at `url`, closed
 * afterwards. Connecting and every query are bounded by `timeoutSeconds`: a
 * timeout is a try-later error, since a locked table or a busy server will
 * answer a later run. Errors name the server without the URL's password.
 */
export async function withArchiveConnection<T>(url: string, timeoutSeconds: number, use: (client: SqlClient) => Promise<T>): Promise<T> {
  const where = describeUrl(url);
  const client = archiveClient((await import('pg')).default, url, timeoutSeconds * 1000);
  // A connection lost between queries is reported by the next query; without a
  // listener, pg's 'error' event would end the process instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    if ((error as Error).message === PG_CONNECT_TIMEOUT) {
      throw new MinapayError('ARCHIVE_TIMEOUT', `archive ${where}: no connection within --db-timeout ${timeoutSeconds} s; try again later`, { cause: error });
    }
    throw new MinapayError('ARCHIVE_UNAVAILABLE', `archive ${where}: cannot connect: ${(error as Error).message}`, { cause: error });
  }
  try {
    return await use(timeoutsReported(client, where, timeoutSeconds));
  } finally {
    await client.end();
  }
}

/** pg is loaded only when a command connects: commands that may (payout send, run) start without it. */
function archiveClient(driver: typeof pg, url: string, timeoutMs: number): pg.Client {
  try {
    return new driver.Client({
      connectionString: url,
      connectionTimeoutMillis: timeoutMs,
      // Sent at startup, so the server cancels a statement that waits on a lock or runs too long.
      statement_timeout: timeoutMs,
      query_timeout: timeoutMs + CLIENT_GRACE_MS,
    });
  } catch (error) {
    // pg reads some URL parameters at once (sslrootcert names a file, for one).
    throw new MinapayError('USAGE', `--archive-db ${describeUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
}

/** The client, with a query that ran into either timeout turned into a try-later error naming --db-timeout. */
function timeoutsReported(client: pg.Client, where: string, timeoutSeconds: number): SqlClient {
  return {
    async query(text, params) {
      try {
        return await client.query(text, params);
      } catch (error) {
        if (!isQueryTimeout(error)) throw error;
        throw new MinapayError(
          'ARCHIVE_TIMEOUT',
          `archive ${where}: a query took longer than --db-timeout ${timeoutSeconds} s (a locked table, or a busy server); try again later`,
          { cause: error },
        );
      }
    },
  };
}

function isQueryTimeout(error: unknown): boolean {
  return (error as { code?: unknown }).code === QUERY_CANCELED || (error as Error).message === PG_QUERY_TIMEOUT;
}

/** user@host:port/database, never the password. A URL that is not a postgres:// URL is a usage error. */
export function describeUrl(url: string): string {
  let parsed: URL;
  let user: string;
  try {
    parsed = new URL(url);
    user = decodeURIComponent(parsed.username);
  } catch {
    throw notAnArchiveUrl();
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw notAnArchiveUrl();
  return `${user === '' ? '' : `${user}@`}${parsed.host}${parsed.pathname}`;
}

/** The URL itself is not quoted: it may hold a password. */
function notAnArchiveUrl(): MinapayError {
  return new MinapayError('USAGE', '--archive-db (or $MINAPAY_ARCHIVE_DB) must be a postgres:// URL, such as postgres://user@host:5432/archive');
}
