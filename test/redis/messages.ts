/** Reading a few messages from a subscriber in a test, with a deadline instead of a hang. */
import type { RawMessage, Subscriber, SubscriberItem } from '../../src/redis/index.js';

/** The next message; rejects when the next item is a gap or drop marker, or after `timeoutMs`. */
export async function nextMessage(sub: Subscriber, timeoutMs = 3_000): Promise<RawMessage> {
  const item = await nextItem(sub, timeoutMs);
  if (item.type !== 'message') throw new Error(`expected a message, got ${JSON.stringify(item)}`);
  return item;
}

/** The next item (message, gap or drop); rejects after `timeoutMs` (the pending read is then abandoned: end the test). */
export async function nextItem(sub: Subscriber, timeoutMs = 3_000): Promise<SubscriberItem> {
  const iterator = sub[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const result = await Promise.race([iterator.next(), timeout]);
    if (result.done) throw new Error('the subscriber ended');
    return result.value;
  } finally {
    clearTimeout(timer);
  }
}

export async function take(sub: Subscriber, count: number, timeoutMs?: number): Promise<RawMessage[]> {
  const messages: RawMessage[] = [];
  for (let i = 0; i < count; i++) messages.push(await nextMessage(sub, timeoutMs));
  return messages;
}

/** Channel, pattern and payload as text: what most assertions compare. */
export function summary(message: RawMessage): { channel: string; pattern?: string; payload: string } {
  const { channel, pattern, payload } = message;
  return pattern === undefined ? { channel, payload: payload.toString('utf8') } : { channel, pattern, payload: payload.toString('utf8') };
}

export async function eventually(check: () => Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
