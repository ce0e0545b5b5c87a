import { createReadStream, type ReadStream } from 'node:fs';

/**
 * Bytes a read of a large input file takes (a ledger, an archived ledger, a
 * file hashed whole). Each read is a trip through the stream and the event
 * loop of some 40 us whatever its size, which 64 KiB reads paid some 14,000
 * times on a 1M-account ledger. With 256 KiB reads, `ledger delegators`
 * went from 1.92 s to 1.82 s on the 250k bench ledger and from 6.11 s to
 * 5.95 s on 1M accounts (medians of three alternating runs), `payout plan`
 * on 2M accounts from 14.0 s to 13.2 s, and the SHA-256 of the 1M ledger
 * (927 MB) from 1.06-1.36 s to 0.80-0.85 s, for 5 to 7 MB more at the peak.
 * 128 KiB was slower; 384 and 512 KiB no faster and 15 to 25 MB more (512
 * KiB even slower with the 4 MB young generation bin/minapay.js sets).
 */
export const FILE_READ_BYTES = 256 * 1024;

/** A file's bytes, FILE_READ_BYTES at a time. */
export function fileReadStream(path: string): ReadStream {
  return createReadStream(path, { highWaterMark: FILE_READ_BYTES });
}
