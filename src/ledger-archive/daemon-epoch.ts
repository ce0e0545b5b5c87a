import { MinapayError, quoted } from '../errors.js';
import { daemonInvalid, graphqlData } from '../io/graphql.js';
import { ledgerHashProblem } from '../protocol/keys.js';
import { safeWholeNumber } from '../protocol/whole-number.js';
import type { LedgerIdentity, LedgerKind } from './manifest.js';

const EPOCH_LEDGERS_QUERY =
  'query { syncStatus bestChain(maxLength: 1) { protocolState { consensusState { ' +
  'epoch stakingEpochData { ledger { hash } } nextEpochData { ledger { hash } } } } } }';

interface ConsensusState {
  readonly epoch?: unknown;
  readonly stakingEpochData?: { readonly ledger?: { readonly hash?: unknown } };
  readonly nextEpochData?: { readonly ledger?: { readonly hash?: unknown } };
}

/**
 * The epoch and hash of the ledger a daemon's `mina ledger export` gives
 * now: the staking ledger of its best tip's epoch, or the next epoch's
 * ledger (archived as epoch + 1, whose staking ledger it becomes). A daemon
 * that is not synced may be on an old chain: cron tries again later.
 */
export async function daemonEpochLedger(url: string, kind: LedgerKind): Promise<LedgerIdentity> {
  const data = await graphqlData(url, EPOCH_LEDGERS_QUERY);
  const status = data['syncStatus'];
  if (status !== 'SYNCED')
    throw new MinapayError('DAEMON_NOT_SYNCED', `${url}: the daemon is ${String(status)}, not SYNCED; its epoch ledgers may be stale, try again later`);
  const tip = (data['bestChain'] as { protocolState?: { consensusState?: ConsensusState } }[] | null)?.[0];
  const state = tip?.protocolState?.consensusState;
  if (state === undefined) throw new MinapayError('DAEMON_NOT_SYNCED', `${url}: the daemon has no best tip yet; try again later`);
  // The daemon writes epochs as strings.
  const epoch = typeof state.epoch === 'string' ? safeWholeNumber(state.epoch) : null;
  if (epoch === null) throw daemonInvalid(url, `consensusState.epoch is ${quoted(state.epoch)}`);
  const hash = (kind === 'staking' ? state.stakingEpochData : state.nextEpochData)?.ledger?.hash;
  const field = kind === 'staking' ? 'stakingEpochData' : 'nextEpochData';
  if (typeof hash !== 'string' || ledgerHashProblem(hash) !== null) throw daemonInvalid(url, `${field}.ledger.hash is ${quoted(hash)}`);
  return { epoch: kind === 'staking' ? epoch : epoch + 1, hash };
}
