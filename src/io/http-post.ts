/** What came of one POST: the HTTP status, or why there was none. */
export type PostOutcome = { readonly status: number } | { readonly error: string };

/** One JSON POST, given up after `timeoutMs`; never throws. */
export async function postJson(url: URL, body: unknown, timeoutMs: number): Promise<PostOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    // The error's message may quote the URL, which may hold a token: only its code or name is kept.
    return { error: cause?.code ?? (error as Error).name ?? 'no answer' };
  }
}
