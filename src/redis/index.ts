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
  DEFAULT_SENTINEL_PORT,
} from './connection.js';
export { keySlot } from './keySlot.js';
export type {
  Address,
  ClusterOptions,
  ConnectionEnv,
  ConnectionInput,
  ConnectionOptions,
  SentinelOptions,
  StandaloneOptions,
  TlsSettings,
} from './connection.js';
export { ConnectionError } from './ConnectionError.js';
export type { ConnectionErrorCode } from './ConnectionError.js';
export { MessageQueue, DEFAULT_QUEUE_BYTES, DEFAULT_QUEUE_LIMIT } from './MessageQueue.js';
export type { DropRun, MessageQueueOptions } from './MessageQueue.js';
export { DEFAULT_RECONNECT, reconnectDelay } from './Backoff.js';
export type { ReconnectPolicy } from './Backoff.js';
export { escapeGlob } from './SubscriptionPlan.js';
// Any deployment (standalone, Sentinel, Cluster; shard channels): deployment.ts picks the subscriber.
export { openSubscriber } from './deployment.js';
export type { Dropped, Gap, RawMessage, SubscribeOptions, SubscribeRequest, Subscriber, SubscriberItem, SubscriberStatus } from './subscriber.js';
