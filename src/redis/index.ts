/**
 * Everything the rest of redis-print needs from Redis. Only this folder imports ioredis.
 */
export {
  connectionOptions,
  describeTarget,
  redactUrl,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_CLIENT_NAME,
  DEFAULT_HOST,
  DEFAULT_PORT,
} from './connection.js';
export type { ConnectionInput, ConnectionOptions } from './connection.js';
export { ConnectionError } from './ConnectionError.js';
export type { ConnectionErrorCode } from './ConnectionError.js';
export { MessageQueue, DEFAULT_QUEUE_LIMIT } from './MessageQueue.js';
export type { MessageQueueOptions } from './MessageQueue.js';
export { escapeGlob } from './SubscriptionPlan.js';
export { openSubscriber } from './subscriber.js';
export type { RawMessage, SubscribeOptions, SubscribeRequest, Subscriber, SubscriberStatus } from './subscriber.js';
