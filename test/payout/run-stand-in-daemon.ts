import { parseArgs } from 'node:util';

import { StandInDaemon } from './stand-in-daemon.js';

/**
 * The test stand-in as a process, to try plan -> sign -> send -> status
 * without a Mina daemon (README): `npm run stand-in-daemon -- --fund PK=MINA`.
 * It prints its GraphQL URL and serves until interrupted; `--block-every S`
 * includes the pool every S seconds.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3085' },
    network: { type: 'string', default: 'mainnet' },
    fund: { type: 'string', multiple: true, default: [] },
    'block-every': { type: 'string' },
  },
});
const accounts = Object.fromEntries(
  (values.fund ?? []).map((entry) => {
    const [pk, mina] = entry.split('=');
    return [pk!, { balance: BigInt(mina ?? '0') * 1_000_000_000n }];
  }),
);
const daemon = await new StandInDaemon({ network: values.network as 'mainnet' | 'devnet', accounts }).start(Number(values.port));
process.stdout.write(`${daemon.url}\n`);
if (values['block-every'] !== undefined) daemon.produceBlocks(Number(values['block-every']) * 1000);
