import type { ChildProcess } from 'node:child_process';
import { finished } from 'node:stream/promises';
import { after, type TestContext } from 'node:test';

/**
 * Child processes in tests: each one is killed when its test ends, whatever
 * the outcome, so a failed assertion never leaves a child waiting on stdin
 * (or on anything else) and the test file always ends. Waits have deadlines
 * and fail with what was waited for.
 */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** How long a killed child may take to be gone. */
const REAP_MS = 5_000;
const live = new Set<ChildProcess>();

// The safety net: whatever a test did, no child outlives its test file.
after(() => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Ties `child` to the test `t`: when the test ends (passed, failed or timed
 * out) the child is killed with SIGKILL if it is still running, and the test
 * waits until it is gone. Resolves to how the child exited.
 */
export function killedWithTest(t: TestContext, child: ChildProcess): Promise<Exit> {
  live.add(child);
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    // A child that could not start emits 'error' and no 'exit'.
    child.once('error', () => {
      if (child.pid === undefined) {
        live.delete(child);
        resolve({ code: null, signal: null });
      }
    });
  });
  t.after(async () => {
    if (!live.has(child)) return;
    child.kill('SIGKILL');
    await within(`process ${child.pid} to be gone after SIGKILL`, REAP_MS, exited);
  });
  return exited;
}

/**
 * Resolves once the child's piped outputs have ended: only then is what it
 * wrote all read. Its 'exit' may come first, while the last of its output
 * is still in the pipe (a lock contender's "LOCKED" once read as "").
 */
export async function outputsEnded(child: ChildProcess): Promise<void> {
  const pipes = [child.stdout, child.stderr].filter((stream) => stream !== null);
  // A pipe destroyed along with a killed child ends in an error: it has ended all the same.
  await Promise.all(pipes.map((stream) => finished(stream).catch(() => {})));
}

/** `promise`, or a failure naming `what` once `ms` have passed without it. */
export async function within<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what} after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
