/**
 * What a platform shows after an event our side works on asynchronously:
 * waits for the first change (up to 4 s), then until nothing has changed for
 * a moment (a decision's redraw of the other cards follows it). `state`
 * fingerprints everything the fake cloud holds; `changed` lists what differs
 * from before the event.
 */
export async function settled<T>(changed: () => T[], state: () => string): Promise<T[]> {
  const deadline = Date.now() + 4_000;
  while (changed().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (let last = state(), until = Date.now() + 3_000; Date.now() < until; ) {
    await new Promise((r) => setTimeout(r, 400));
    if (state() === last) break;
    last = state();
  }
  return changed();
}
