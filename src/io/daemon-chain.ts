import { MinapayError, quoted } from '../errors.js';
import type { ChainEraFacts } from '../protocol/eras.js';
import { daemonInvalid, daemonWholeNumber, graphqlData } from './graphql.js';

/**
 * The daemon's own word on its chain, with the field names of its GraphQL
 * schema: the fork's constants (genesis constants and consensus
 * configuration) and its best tip's place in time.
 */
const CHAIN_QUERY =
  'query { genesisConstants { coinbase genesisTimestamp } daemonStatus { consensusConfiguration { slotDuration slotsPerEpoch } } ' +
  'bestChain(maxLength: 1) { protocolState { consensusState { epoch slot slotSinceGenesis } } } }';

/** Where a daemon's best tip is, and what that says of its fork. */
export interface DaemonChain {
  /** The fork's first global slot, coinbase, slot length, slots per epoch and start time, as eraOfChain takes them. */
  readonly facts: ChainEraFacts;
  /** The best tip's global slot since genesis. */
  readonly globalSlot: number;
  /** The best tip's epoch, counted from the fork's first slot. */
  readonly epoch: number;
}

interface ChainAnswer {
  readonly genesisConstants?: { readonly coinbase?: unknown; readonly genesisTimestamp?: unknown } | null;
  readonly daemonStatus?: { readonly consensusConfiguration?: { readonly slotDuration?: unknown; readonly slotsPerEpoch?: unknown } | null } | null;
  readonly bestChain?: readonly { readonly protocolState?: { readonly consensusState?: Record<string, unknown> } }[] | null;
}

/**
 * Asks a daemon which fork it is on. Its consensus state counts epochs and
 * slots from the fork's first slot and the global slot from the very first
 * genesis (MinaProtocol/mina consensus_state: curr_global_slot since the hard
 * fork, global_slot_since_genesis), so the fork started at
 * slotSinceGenesis - (epoch * slotsPerEpoch + slot). The genesis timestamp of
 * a forked chain is its fork's start.
 */
export async function daemonChain(url: string): Promise<DaemonChain> {
  const data = (await graphqlData(url, CHAIN_QUERY)) as ChainAnswer;
  const whole = (value: unknown, field: string) => Number(daemonWholeNumber(value, field, url));
  const configuration = data.daemonStatus?.consensusConfiguration;
  const slotsPerEpoch = whole(configuration?.slotsPerEpoch, 'daemonStatus.consensusConfiguration.slotsPerEpoch');
  const slotDurationMs = whole(configuration?.slotDuration, 'daemonStatus.consensusConfiguration.slotDuration');
  if (slotsPerEpoch === 0 || slotDurationMs === 0) throw daemonInvalid(url, 'its consensus configuration has a slot or an epoch of length 0');
  const state = data.bestChain?.[0]?.protocolState?.consensusState;
  if (state === undefined) throw new MinapayError('DAEMON_NOT_SYNCED', `${url}: the daemon has no best tip yet; try again later`);
  const epoch = whole(state['epoch'], 'consensusState.epoch');
  const slot = whole(state['slot'], 'consensusState.slot');
  const globalSlot = whole(state['slotSinceGenesis'], 'consensusState.slotSinceGenesis');
  const sinceFork = epoch * slotsPerEpoch + slot;
  if (slot >= slotsPerEpoch || sinceFork > globalSlot) {
    throw daemonInvalid(url, `its best tip is at slot ${slot} of epoch ${epoch} but at global slot ${globalSlot} (${slotsPerEpoch} slots an epoch)`);
  }
  const constants = data.genesisConstants;
  const facts: ChainEraFacts = {
    kind: 'daemon',
    firstGlobalSlot: globalSlot - sinceFork,
    coinbase: daemonWholeNumber(constants?.coinbase, 'genesisConstants.coinbase', url),
    slotDurationMs,
    slotsPerEpoch,
    startTime: genesisTime(constants?.genesisTimestamp, url),
    source: `daemon ${url}`,
  };
  return { facts, globalSlot, epoch };
}

/** The daemon writes its genesis timestamp in ISO 8601, with a space or a T and up to microseconds; normalised to what era tables hold. */
function genesisTime(value: unknown, url: string): string {
  const text = typeof value === 'string' ? value.replace(' ', 'T') : '';
  const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]00:?00)$/.test(text) ? Date.parse(text.replace(/(\.\d{3})\d+/, '$1')) : Number.NaN;
  if (Number.isNaN(ms)) throw daemonInvalid(url, `genesisConstants.genesisTimestamp is ${quoted(value)}, not an ISO 8601 UTC time`);
  return new Date(ms).toISOString();
}
