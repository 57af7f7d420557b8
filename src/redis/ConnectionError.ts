/**
 * Why talking to Redis failed, as data: a `code` a program can switch on and a one-line message a
 * person can act on, always naming the target as `host:port` and never a password.
 */

export type ConnectionErrorCode =
  /** Nothing listens on host:port (ECONNREFUSED), or the host is unreachable (EHOSTUNREACH, ENETUNREACH). */
  | 'ECONNREFUSED'
  /** The host name does not resolve (ENOTFOUND, EAI_AGAIN). */
  | 'ENOTFOUND'
  /** No connection, or no answer to the handshake, within `connectTimeoutMs`. */
  | 'ETIMEDOUT'
  /** AUTH rejected: wrong password, unknown or disabled user. */
  | 'WRONGPASS'
  /** The server requires a password and none was given. */
  | 'NOAUTH'
  /** The ACL user may not run a command we need, or not on these channels. */
  | 'NOPERM'
  /** Something answered that does not speak RESP (an HTTP server, a TLS port, a proxy). */
  | 'EPROTO'
  /** `--url` could not be parsed, or a host/port/db value is invalid. */
  | 'EBADURL'
  /** A valid setting this version does not support yet (rediss://, unix sockets). */
  | 'EUNSUPPORTED'
  /** The connection closed after it had been established. */
  | 'ECONNLOST'
  /** Anything else; `cause` holds the original error. */
  | 'EREDIS';

/** ioredis rejects pending commands with this message when the socket closes (utils CONNECTION_CLOSED_ERROR_MSG). */
export const CONNECTION_CLOSED = 'Connection is closed.';

export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';

  constructor(
    readonly code: ConnectionErrorCode,
    /** `host:port` as `describeTarget` renders it, or the redacted URL for EBADURL. */
    readonly target: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Node socket errors and Redis error replies, mapped to a code and the message
 * `cannot <action> <target>: <reason>` (`action` defaults to `connect to`; authentication problems
 * always say `connect to`, whatever the step that met them).
 */
export function toConnectionError(
  error: unknown,
  target: string,
  timeoutMs: number,
  action: 'connect to' | 'subscribe on' = 'connect to',
): ConnectionError {
  if (error instanceof ConnectionError) return error;
  const { code, reason } = classify(error, timeoutMs);
  const verb = code === 'NOAUTH' || code === 'WRONGPASS' ? 'connect to' : action;
  return new ConnectionError(code, target, `cannot ${verb} ${target}: ${reason}`, { cause: error });
}

function classify(error: unknown, timeoutMs: number): { code: ConnectionErrorCode; reason: string } {
  const errno = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const text = error instanceof Error ? error.message : String(error);
  switch (errno) {
    case 'ECONNREFUSED':
      return { code: 'ECONNREFUSED', reason: 'connection refused' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return { code: 'ENOTFOUND', reason: 'host not found' };
    case 'ETIMEDOUT':
      return { code: 'ETIMEDOUT', reason: `timed out after ${timeoutMs} ms` };
    case 'ECONNRESET':
    case 'EPIPE':
      return { code: 'ECONNLOST', reason: 'connection reset by the server' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { code: 'ECONNREFUSED', reason: 'host unreachable' };
  }
  // redis-parser's fatal error: the first byte is not a RESP type. ioredis appends "Please report
  // this.", which sends the user the wrong way: it almost always means the wrong port.
  if (error instanceof Error && error.name === 'ParserError') {
    return { code: 'EPROTO', reason: `not a Redis server (it answered ${answerPreview(error)})` };
  }
  if (text === CONNECTION_CLOSED) return { code: 'ECONNLOST', reason: 'connection closed by the server' };
  // Redis error replies: the first word is the error code (WRONGPASS, NOAUTH, NOPERM, ERR …).
  const word = /^([A-Z]+)\b/.exec(text)?.[1];
  switch (word) {
    case 'WRONGPASS':
      return { code: 'WRONGPASS', reason: `authentication failed (${firstLine(text)})` };
    case 'NOAUTH':
      return { code: 'NOAUTH', reason: `the server requires a password (${firstLine(text)})` };
    case 'NOPERM':
      return { code: 'NOPERM', reason: `permission denied (${firstLine(text)})` };
  }
  // Redis < 6 answers a bad AUTH with "ERR invalid password".
  if (/invalid password/i.test(text)) return { code: 'WRONGPASS', reason: `authentication failed (${firstLine(text)})` };
  return { code: 'EREDIS', reason: firstLine(text) || 'unknown error' };
}

/** The start of what the peer sent, from ParserError's `buffer` (a JSON-serialised Buffer). */
function answerPreview(error: Error): string {
  try {
    const raw: unknown = JSON.parse(String((error as Error & { buffer?: unknown }).buffer));
    const data = typeof raw === 'object' && raw !== null && 'data' in raw && Array.isArray(raw.data) ? raw.data : [];
    const line = firstLine(Buffer.from(data.slice(0, 200) as number[]).toString('latin1'));
    const printable = line.replace(/[^\x20-\x7e]/g, '.');
    return JSON.stringify(printable.length > 40 ? `${printable.slice(0, 40)}…` : printable);
  } catch {
    return 'something else';
  }
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0]?.trim() ?? '';
}
