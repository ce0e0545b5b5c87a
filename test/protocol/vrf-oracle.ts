/**
 * The VRF on mina-signer's own primitives (o1js's Poseidon, group map and
 * Pallas arithmetic, in BigInt): slow, written from the rule in
 * docs/protocol.md, independent of the WebAssembly module. mina-signer does
 * not export these, so they are imported by path.
 */
import { Poseidon } from '../../node_modules/mina-signer/dist/node/bindings/crypto/poseidon.js';
import { GroupMapPallas, Pallas } from '../../node_modules/mina-signer/dist/node/bindings/crypto/elliptic-curve.js';
import { poseidonParamsKimchiFp } from '../../node_modules/mina-signer/dist/node/bindings/crypto/constants.js';

import { packedMessage, truncateVrfOutput } from '../../src/protocol/vrf.js';
import { PALLAS_P, prefixToField, VRF_MESSAGE_PREFIX, VRF_OUTPUT_PREFIX } from '../../src/protocol/pasta/parameters.js';

export { Pallas, Poseidon, poseidonParamsKimchiFp };

/** mina-signer's Poseidon with a prefix absorbed first (Mina's `hashWithPrefix`). */
export function hashWithPrefix(prefix: string, input: bigint[]): bigint {
  const state = Poseidon.update(Poseidon.initialState(), [prefixToField(prefix)]);
  return Poseidon.update(state, input)[0] as bigint;
}

export interface OracleEvaluation {
  readonly messageHash: bigint;
  readonly h: { x: bigint; y: bigint };
  readonly u: { x: bigint; y: bigint };
  readonly output: bigint;
  readonly truncated: bigint;
}

/** The message's curve point by the group map, y as the square root gives it. */
export function oracleHashToCurve(messageHash: bigint): { x: bigint; y: bigint } {
  for (const x of GroupMapPallas.potentialXs(messageHash)) {
    const point = GroupMapPallas.tryDecode(x);
    if (point !== undefined) return point;
  }
  throw new Error('no point');
}

export function oracleVrf(privateKey: bigint, seed: bigint, slot: number, index: number): OracleEvaluation {
  const packed = packedMessage(slot, index);
  const messageHash = hashWithPrefix(VRF_MESSAGE_PREFIX, [seed, packed]);
  const h = oracleHashToCurve(messageHash);
  const u = Pallas.toAffine(Pallas.scale(Pallas.fromAffine({ ...h, infinity: false }), privateKey));
  const output = hashWithPrefix(VRF_OUTPUT_PREFIX, [seed, u.x, u.y, packed]);
  return { messageHash, h, u: { x: u.x, y: u.y }, output, truncated: truncateVrfOutput(output) };
}

/** The same point with y made even, as o1js's `hashToGroup` does: the helper the rule warns against. */
export function evenYHashToCurve(messageHash: bigint): { x: bigint; y: bigint } {
  const point = oracleHashToCurve(messageHash);
  return (point.y & 1n) === 1n ? { x: point.x, y: PALLAS_P - point.y } : point;
}
