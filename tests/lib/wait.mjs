// Polling with a deadline, for tests that wait for a state another actor (load loops, a child
// process) reaches: never an open-ended wait, never a sleep for timing.

/**
 * Resolves once `condition()` is truthy; throws after `timeoutMs` naming `what`.
 * `condition` may be async and may itself throw to end the wait early (e.g. a load loop died);
 * `what` may be a function, called at the timeout (to describe the state then).
 * @param {() => unknown} condition
 * @param {{timeoutMs?: number, what?: string | (() => string), intervalMs?: number}} [options]
 */
export async function waitUntil(condition, { timeoutMs = 60_000, what = 'the condition', intervalMs = 10 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
