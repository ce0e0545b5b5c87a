import { MinapayError } from '../errors.js';
import { daemonInvalid, daemonWholeNumber, graphqlData } from '../io/graphql.js';
import { ledgerHashProblem } from '../protocol/keys.js';
import { decodeEpochSeed } from '../protocol/vrf.js';

/** The inputs of an epoch's VRF the daemon knows: the seed, and the staking ledger's hash and total currency. */
export interface EpochVrfData {
  readonly seed: bigint;
  readonly seedText: string;
  readonly ledgerHash: string;
  readonly totalCurrency: bigint;
}

const EPOCH_DATA = 'seed ledger { hash totalCurrency }';
const QUERY =
  'query { syncStatus bestChain(maxLength: 1) { protocolState { consensusState { ' +
  `epoch slot stakingEpochData { ${EPOCH_DATA} } nextEpochData { ${EPOCH_DATA} } } } } }`;

interface EpochDataAnswer {
  readonly seed?: unknown;
  readonly ledger?: { readonly hash?: unknown; readonly totalCurrency?: unknown };
}

interface ConsensusAnswer {
  readonly epoch?: unknown;
  readonly slot?: unknown;
  readonly stakingEpochData?: EpochDataAnswer;
  readonly nextEpochData?: EpochDataAnswer;
}

/**
 * Epoch `epoch`'s VRF inputs from a synced daemon: its staking epoch data
 * when the best tip is in that epoch, or its next epoch data when the tip is
 * in the epoch before and past the seed's lock (two thirds of the epoch:
 * from then on the next seed no longer changes). Any other epoch is not
 * known to the daemon.
 */
export async function daemonEpochVrfData(url: string, epoch: number, slotsPerEpoch: number): Promise<EpochVrfData> {
  const data = await graphqlData(url, QUERY);
  if (data['syncStatus'] !== 'SYNCED') {
    throw new MinapayError(
      'DAEMON_NOT_SYNCED',
      `${url}: the daemon is ${String(data['syncStatus'])}, not SYNCED; its epoch data may be stale, try again later`,
    );
  }
  const state = (data['bestChain'] as { protocolState?: { consensusState?: ConsensusAnswer } }[] | null)?.[0]?.protocolState?.consensusState;
  if (state === undefined) throw new MinapayError('DAEMON_NOT_SYNCED', `${url}: the daemon has no best tip yet; try again later`);
  const tipEpoch = Number(daemonWholeNumber(state.epoch, 'consensusState.epoch', url));
  const slotInEpoch = Number(daemonWholeNumber(state.slot, 'consensusState.slot', url));
  if (tipEpoch === epoch) return epochData(state.stakingEpochData, 'stakingEpochData', url);
  if (tipEpoch + 1 === epoch) {
    const lock = Math.ceil((slotsPerEpoch * 2) / 3);
    if (slotInEpoch < lock) {
      throw new MinapayError(
        'EPOCH_NOT_FINAL',
        `${url}: the seed of epoch ${epoch} settles at slot ${lock} of epoch ${tipEpoch}; the daemon is at slot ${slotInEpoch}, try again later`,
      );
    }
    return epochData(state.nextEpochData, 'nextEpochData', url);
  }
  throw new MinapayError(
    'USAGE',
    `${url}: the daemon is in epoch ${tipEpoch} and knows the seeds of epochs ${tipEpoch} and ${tipEpoch + 1} only; ` +
      `for epoch ${epoch} give --seed and --total-currency`,
  );
}

function epochData(answer: EpochDataAnswer | undefined, field: string, url: string): EpochVrfData {
  const seedText = answer?.seed;
  if (typeof seedText !== 'string') throw daemonInvalid(url, `${field}.seed is ${JSON.stringify(seedText)}`);
  let seed: bigint;
  try {
    seed = decodeEpochSeed(seedText, `${field}.seed`);
  } catch (error) {
    throw daemonInvalid(url, (error as Error).message);
  }
  const hash = answer?.ledger?.hash;
  if (typeof hash !== 'string' || ledgerHashProblem(hash) !== null) throw daemonInvalid(url, `${field}.ledger.hash is ${JSON.stringify(hash)}`);
  const totalCurrency = daemonWholeNumber(answer?.ledger?.totalCurrency, `${field}.ledger.totalCurrency`, url);
  if (totalCurrency === 0n) throw daemonInvalid(url, `${field}.ledger.totalCurrency is 0`);
  return { seed, seedText, ledgerHash: hash, totalCurrency };
}
