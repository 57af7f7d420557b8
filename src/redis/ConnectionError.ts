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
  /** The TLS handshake failed: the certificate did not verify, or the port does not speak TLS. */
  | 'ETLS'
  /** No sentinel could name the master: all unreachable, or none monitors a master of that name. */
  | 'ESENTINEL'
  /** `--url` could not be parsed, a host/port/db value is invalid, or settings do not go together. */
  | 'EBADURL'
  /** A TLS file (CA, certificate, key) cannot be read or is not PEM. */
  | 'EBADFILE'
  /** A valid setting this version does not support yet (unix sockets). */
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
  const { code, reason } = explainError(error, timeoutMs);
  const verb = code === 'NOAUTH' || code === 'WRONGPASS' ? 'connect to' : action;
  return new ConnectionError(code, target, `cannot ${verb} ${target}: ${reason}`, { cause: error });
}

/** The code and the reason part of the message (`connection refused`, `authentication failed (…)`). */
export function explainError(error: unknown, timeoutMs: number): { code: ConnectionErrorCode; reason: string } {
  if (error instanceof ConnectionError) return { code: error.code, reason: error.message };
  const errno = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const text = error instanceof Error ? error.message : String(error);
  const tls = tlsReason(errno, text);
  if (tls !== undefined) return { code: 'ETLS', reason: tls };
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
      // Node's TLS socket says so when the reset came before the handshake finished.
      if (/before secure TLS connection/i.test(text)) return { code: 'ETLS', reason: 'TLS handshake failed: the server reset the connection' };
      // A plain client on a TLS port: the server gives up on the handshake and resets.
      return { code: 'ECONNLOST', reason: 'connection reset by the server (a TLS port? then use --tls or rediss://)' };
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

/**
 * Node's certificate-verification codes are OpenSSL's `X509_V_ERR_*` names without the prefix
 * (`UNABLE_TO_VERIFY_LEAF_SIGNATURE` …), plus ERR_TLS_CERT_ALTNAME_INVALID for a name mismatch;
 * OpenSSL's own failures come as `ERR_SSL_*` (a plain-text port answers "wrong version number").
 */
const CERT_CODE = /^(UNABLE_TO_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|INVALID_CA$|PATH_LENGTH_EXCEEDED$|INVALID_PURPOSE$|ERR_TLS_CERT_ALTNAME_INVALID$)/;

function tlsReason(errno: string, text: string): string | undefined {
  if (CERT_CODE.test(errno)) return `certificate verify failed: ${firstLine(text)} (${errno})`;
  if (errno === 'ERR_SSL_WRONG_VERSION_NUMBER' || errno === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    return 'TLS handshake failed: the server does not speak TLS on this port (try without --tls)';
  }
  if (errno.startsWith('ERR_SSL_') || errno === 'ERR_TLS_HANDSHAKE_TIMEOUT') {
    if (errno === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') {
      return 'TLS handshake failed: the server requires a client certificate (--cert and --key)';
    }
    // "error:0A000410:SSL routines::sslv3 alert handshake failure" and
    // "error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert …:../deps/openssl/…:SSL alert number 116"
    // → the words between the function name and the source location.
    const words = /routines:[^:]*:([^:]+)/.exec(text)?.[1] ?? firstLine(text);
    return `TLS handshake failed: ${words.trim()} (${errno})`;
  }
  return undefined;
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

/** The first line of a (possibly multi-line) error text, trimmed. */
export function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0]?.trim() ?? '';
}

/** Failures a reconnect cannot fix (credentials, permissions, not Redis, TLS): reconnect loops give up on them. */
export const PERMANENT_CODES: ReadonlySet<string> = new Set(['WRONGPASS', 'NOAUTH', 'NOPERM', 'EPROTO', 'ETLS']);

/** Why a connection that was up went away, in a few words (for gap records and status lines). */
export function lossReason(error: Error | undefined): string {
  if (error === undefined) return 'closed by the server';
  const code = 'code' in error ? String(error.code) : '';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection reset';
  if (code === 'ETIMEDOUT') return 'timed out';
  return firstLine(error.message) || error.message;
}
