import type { Argv } from 'yargs';

import { DEFAULT_DB_TIMEOUT_SECONDS, MAX_DB_TIMEOUT_SECONDS } from '../blocks/archive-connection.js';
import type { CliContext } from './context.js';
import { nonNegativeInteger, type RawArgs } from './options.js';

/** The archive node's database a command reads, and how long to wait for it. */
export interface ArchiveDatabase {
  readonly url: string;
  /** Seconds to wait for it to connect, and for each query. */
  readonly timeoutSeconds: number;
}

/** --archive-db and --db-timeout, as every command that reads the archive database takes them. */
export function archiveDatabaseOptions(yargs: Argv, describe: string): Argv {
  return yargs
    .option('archive-db', { type: 'string', describe: `${describe} (default: $MINAPAY_ARCHIVE_DB; a password is better kept in $PGPASSWORD or ~/.pgpass)` })
    .option('db-timeout', {
      type: 'number',
      default: DEFAULT_DB_TIMEOUT_SECONDS,
      describe: 'seconds to wait for the archive database to connect, and for each query (a locked table fails with exit 75)',
    });
}

/** The archive database: --archive-db, else $MINAPAY_ARCHIVE_DB; undefined when neither names one. */
export function archiveDatabase(args: RawArgs, context: CliContext): ArchiveDatabase | undefined {
  const url = typeof args['archive-db'] === 'string' && args['archive-db'] !== '' ? args['archive-db'] : context.env['MINAPAY_ARCHIVE_DB'];
  if (url === undefined || url === '') return undefined;
  return { url, timeoutSeconds: nonNegativeInteger(args['db-timeout'], '--db-timeout', { min: 1, max: MAX_DB_TIMEOUT_SECONDS }) };
}
