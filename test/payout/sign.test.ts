import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import fc from 'fast-check';
import Client from 'mina-signer';

import { parsePlanDocument } from '../../src/payout/plan-file.js';
import { parseSignedDocument, paymentData, signedDocument, signerFor, signPayments, type SigningTerms } from '../../src/payout/sign.js';
import { fixture } from '../helpers.js';

/** o1js src/mina-signer/src/test-vectors/legacySignatures.ts: the key pair, receiver, payments and their signatures. */
const VECTOR_KEY = readFileSync(fixture('keys', 'reference-vector.key'), 'utf8').trim();
const VECTOR_SENDER = 'B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg';
const VECTOR_RECEIVER = 'B62qrcFstkpqXww1EkSGrqMCwCNho86kuqBd4FrAAUsPxNKdiPzAUsy';
const VECTOR_PAYMENTS = [
  { amount: '42', fee: '3', nonce: '200', validUntil: '10000', memo: 'this is a memo' },
  { amount: '2048', fee: '15', nonce: '212', validUntil: '305', memo: 'this is not a pipe' },
  { amount: '109', fee: '2001', nonce: '3050', validUntil: '9000', memo: 'blessed be the geek' },
];
const VECTOR_SIGNATURES = {
  mainnet: [
    [
      '2290465734865973481454975811990842289349447524565721011257265781466170720513',
      '174718295375042423373378066296864207343460524320417038741346483351503066865',
    ],
    [
      '3338221378196321618737404652850173545830741260219426985985110494623248154796',
      '13582570889626737053936904045130069988029386067840542224501137534361543053466',
    ],
    [
      '24977166875850415387591601609169744956874881328889802588427412550673368014171',
      '8818176737844714163963728742657256399283959917269715546724011366788373936767',
    ],
  ],
  // o1js calls it testnet; devnet signs the same way.
  devnet: [
    [
      '3925887987173883783388058255268083382298769764463609405200521482763932632383',
      '445615701481226398197189554290689546503290167815530435382795701939759548136',
    ],
    [
      '11838925242791061185900891854974280922359055483441419242429642295065318643984',
      '5057044820006008308046028014628135487302791372585541488835641418654652928805',
    ],
    [
      '13570419670106759824217358880396743605262660069048455950202130815805728575057',
      '2256128221267944805514947515637443480133552241968312777663034361688965989223',
    ],
  ],
};

const PLAN_PATH = fixture('expected', 'post-berkeley.epoch-18.plan.json');
const plan = () => parsePlanDocument(readFileSync(PLAN_PATH, 'utf8'), PLAN_PATH);
const terms = (changes: Partial<SigningTerms> = {}): SigningTerms => ({
  sender: VECTOR_SENDER,
  firstNonce: 7n,
  fee: null,
  memo: '',
  validUntil: 4_294_967_295n,
  ...changes,
});

describe('signing payments', () => {
  for (const network of ['mainnet', 'devnet'] as const) {
    it(`reproduces o1js's published ${network} payment signatures`, () => {
      const payments = VECTOR_PAYMENTS.map((fields) => ({ pk: VECTOR_RECEIVER, data: { to: VECTOR_RECEIVER, from: VECTOR_SENDER, ...fields } }));
      const signed = signPayments(signerFor(network), payments, VECTOR_KEY);
      assert.deepEqual(
        signed.map((payment) => [payment.signature.field, payment.signature.scalar]),
        VECTOR_SIGNATURES[network],
      );
    });
  }

  it("equals mina-signer's own signature and hash for any amount, fee, nonce, memo and expiry", () => {
    const client = new Client({ network: 'mainnet' });
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 32n - 1n }),
        fc.string({ maxLength: 32 }).filter((memo) => Buffer.byteLength(memo) <= 32),
        fc.bigInt({ min: 0n, max: 2n ** 32n - 1n }),
        (amount, fee, nonce, memo, validUntil) => {
          const data = { to: VECTOR_RECEIVER, from: VECTOR_SENDER, amount: `${amount}`, fee: `${fee}`, nonce: `${nonce}`, memo, validUntil: `${validUntil}` };
          const [ours] = signPayments(client, [{ pk: VECTOR_RECEIVER, data }], VECTOR_KEY);
          const theirs = client.signPayment(data, VECTOR_KEY);
          assert.deepEqual(ours!.signature, theirs.signature);
          assert.equal(ours!.hash, client.hashPayment(theirs, { berkeley: true }));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('makes one payment per line with an amount, nonces consecutive in key order, the plan fee, and the line memo over --memo', () => {
    const payments = paymentData(plan(), terms({ memo: 'epoch 18' }));
    assert.deepEqual(
      payments.map(({ pk, data }) => [pk, data.amount, data.fee, data.nonce, data.memo]),
      [
        ['B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1', '8137978319', '10000000', '7', 'epoch 18'],
        ['B62qnx5hKBFHZFUFjpEXzh2du8wRegCHrp3kL17gY7qxMBFQcBycJM5', '1355877760638', '10000000', '8', 'epoch 18'],
      ],
    );
    // A line paying the sender itself is not a payment.
    assert.equal(paymentData(plan(), terms({ sender: 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1' })).length, 1);
  });

  it('refuses a memo over 32 bytes, counting bytes and not characters', () => {
    assert.equal(paymentData(plan(), terms({ memo: 'é'.repeat(16) })).length, 2);
    assert.throws(
      () => paymentData(plan(), terms({ memo: 'é'.repeat(17) })),
      (error: Error & { code: string }) => error.code === 'MEMO_TOO_LONG' && /34 bytes/.test(error.message),
    );
  });

  it('reads signed.json back only when every payment matches its plan line, signature and hash', () => {
    const stored = plan();
    const signed = signPayments(signerFor('mainnet'), paymentData(stored, terms()), VECTOR_KEY);
    const text = signedDocument({ planHash: stored.document.planHash, network: 'mainnet', epoch: 18, sender: VECTOR_SENDER, payments: signed });
    assert.deepEqual(parseSignedDocument(text, 'signed.json', stored).payments, signed);
    type SignedJson = { payments: { hash: string; data: Record<string, string> }[]; planHash: string };
    const tamper = (edit: (document: SignedJson) => void) => {
      const document = JSON.parse(text) as SignedJson;
      edit(document);
      return () => parseSignedDocument(JSON.stringify(document), 'signed.json', stored);
    };
    const refused = (pattern: RegExp) => (error: Error & { code: string }) => error.code === 'SIGNED_INVALID' && pattern.test(error.message);
    assert.throws(
      tamper((d) => (d.payments[0]!.data['amount'] = '9137978319')),
      refused(/payment 0 does not pay line/),
    );
    assert.throws(
      tamper((d) => (d.payments[1]!.data['fee'] = '1')),
      refused(/payment 1 has a signature that does not verify/),
    );
    assert.throws(
      tamper((d) => (d.payments[1]!.hash = 'CkpX')),
      refused(/payment 1 has hash CkpX/),
    );
    assert.throws(
      tamper((d) => (d.planHash = 'f00d')),
      refused(/signed for plan f00d/),
    );
    assert.throws(
      tamper((d) => d.payments.pop()),
      refused(/has 1 payments; its plan has 2 lines to pay/),
    );
  });
});
