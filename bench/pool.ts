/** The pool key that 1% of every synthetic bench ledger delegates to (a real mainnet key). */
export const BENCH_POOL = 'B62qrecVjpoZ4Re3a5arN6gXZ6orhmj1enUtA887XdG5mtZfdUbBUh4';
