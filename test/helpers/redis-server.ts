/**
 * A throwaway `redis-server` per test file, on a free port, with nothing persisted.
 *
 * ```ts
 * let redis: RedisServer;
 * beforeAll(async () => { redis = await startRedis(); });
 * afterAll(async () => { await redis?.stop(); });   // always afterAll: runs even when a test fails
 * ```
 *
 * One server per test file; never the shared server on 6379. As a last resort every server still
 * running when the worker process exits is killed by its PID (see `killAllOnExit`).
 *
 * Commands go over a plain socket speaking RESP (`command`, `publish`) so tests check the subscriber
 * against the wire, not against the client library it wraps; `cli` runs the real `redis-cli`.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RedisServer {
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** `redis://[:password@]host:port` */
  readonly url: string;
  /** The `--requirepass` value the server was started with, if any. */
  readonly password: string | undefined;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Sends `signal` (default SIGKILL: `kill -9`, the server vanishes without closing anything) and
   * resolves when the process has exited. The data directory stays until `stop()`. To "restart",
   * start a new server with `startRedis(args, { port: old.port })`.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Runs `redis-cli -h host -p port ...args` (authenticated when the server has a password); stdout, trimmed. */
  cli(...args: string[]): Promise<string>;
  /** Sends one command on the helper's own connection (authenticated); resolves with the decoded reply. */
  command(...args: Array<string | Buffer>): Promise<RespReply>;
  /** `PUBLISH channel payload`; resolves with the number of receivers Redis reports. */
  publish(channel: string | Buffer, payload: string | Buffer): Promise<number>;
}

/** A RESP2 reply: simple and bulk strings as Buffers, errors as `RespError` values (not thrown). */
export type RespReply = Buffer | number | null | RespError | RespReply[];

export class RespError {
  constructor(readonly message: string) {}
}

const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 5;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts `redis-server --port P --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir <tmp>`
 * plus `extraArgs` (e.g. `['--requirepass', 'secret']`), and waits until it answers PING.
 * Throws if it does not answer within 10 s, including the end of the server's log in the message.
 * `options.port` asks for that port (e.g. a server's replacement after `kill()`); it must be free.
 */
export async function startRedis(extraArgs: readonly string[] = [], options: { port?: number } = {}): Promise<RedisServer> {
  killAllOnExit();
  const password = argAfter(extraArgs, '--requirepass');
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = options.port ?? (await freePort());
    const dir = await mkdtemp(path.join(os.tmpdir(), 'redis-print-test-'));
    try {
      return await launch(port, dir, extraArgs, password);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      lastError = error as Error;
      // Another process took the port between our probe and redis-server's bind: try another one.
      if (!(error instanceof PortTaken) || options.port !== undefined) throw error;
    }
  }
  throw new Error(`could not start redis-server after ${PORT_ATTEMPTS} attempts: ${lastError?.message}`);
}

class PortTaken extends Error {}

async function launch(
  port: number,
  dir: string,
  extraArgs: readonly string[],
  password: string | undefined,
): Promise<RedisServer> {
  const host = '127.0.0.1';
  const args = ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no'];
  args.push('--daemonize', 'no', '--dir', dir, ...extraArgs);
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let log = '';
  const keepLog = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keepLog);
  child.stderr?.on('data', keepLog);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError) throw new Error(`cannot run redis-server: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      if (/address already in use/i.test(log)) throw new PortTaken(`port ${port} taken`);
      throw new Error(`redis-server exited (${child.exitCode ?? child.signalCode}) before answering PING:\n${log}`);
    }
    if (await answersPing(host, port)) break;
    if (Date.now() > deadline) {
      await kill(child, exited);
      throw new Error(`redis-server on ${host}:${port} did not answer PING within ${READY_TIMEOUT_MS} ms:\n${log}`);
    }
    await sleep(20);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('redis-server has no pid');

  let connection: RespConnection | undefined;
  const connect = async (): Promise<RespConnection> => {
    if (!connection) {
      connection = await RespConnection.open(host, port);
      if (password !== undefined) {
        const reply = await connection.send(['AUTH', password]);
        if (reply instanceof RespError) throw new Error(`AUTH failed: ${reply.message}`);
      }
    }
    return connection;
  };
  let stopping: Promise<void> | undefined;

  return {
    host,
    port,
    pid,
    password,
    url: password === undefined ? `redis://${host}:${port}` : `redis://:${encodeURIComponent(password)}@${host}:${port}`,
    stop() {
      stopping ??= (async () => {
        connection?.close();
        await kill(child, exited);
        await rm(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
    async kill(signal = 'SIGKILL') {
      connection?.close();
      connection = undefined;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    cli(...cliArgs) {
      const env = { ...process.env };
      if (password !== undefined) env['REDISCLI_AUTH'] = password;
      return new Promise((resolve, reject) => {
        execFile('redis-cli', ['-h', host, '-p', String(port), ...cliArgs], { env }, (error, stdout, stderr) => {
          if (error) reject(new Error(`redis-cli ${cliArgs.join(' ')} failed: ${stderr || error.message}`));
          else resolve(stdout.trim());
        });
      });
    },
    async command(...commandArgs) {
      return (await connect()).send(commandArgs);
    },
    async publish(channel, payload) {
      const reply = await (await connect()).send(['PUBLISH', channel, payload]);
      if (typeof reply !== 'number') throw new Error(`PUBLISH replied ${String(reply)}`);
      return reply;
    },
  };
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const pid = child.pid;
  if (pid === undefined) return;
  process.kill(pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
  }, STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** If a test file dies without reaching afterAll, do not leave servers behind. */
function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
}

/** Binds port 0, reads the port the kernel chose, releases it. Racy by nature, hence the retry above. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('no port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** One short-lived socket: `PING` → `+PONG`, or `-NOAUTH` when a password is set, both mean "up". */
function answersPing(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ host, port });
    let data = '';
    const done = (up: boolean): void => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n')) done(data.startsWith('+PONG') || data.startsWith('-NOAUTH'));
    });
  });
}

function argAfter(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A minimal RESP2 connection: one command at a time is all the tests need, but pipelining is safe too. */
class RespConnection {
  private buffer = Buffer.alloc(0);
  private readonly waiting: Array<{ resolve(reply: RespReply): void; reject(error: Error): void }> = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const parsed = parseReply(this.buffer, 0);
        if (parsed === undefined) break;
        this.buffer = this.buffer.subarray(parsed.end);
        this.waiting.shift()?.resolve(parsed.value);
      }
    });
    socket.on('close', () => {
      for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('connection closed'));
    });
    socket.on('error', () => {
      // 'close' follows and rejects whoever waits
    });
  }

  static open(host: string, port: number): Promise<RespConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ host, port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RespConnection(socket));
      });
    });
  }

  send(args: ReadonlyArray<string | Buffer>): Promise<RespReply> {
    const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
    for (const arg of args) {
      const bytes = typeof arg === 'string' ? Buffer.from(arg, 'utf8') : arg;
      parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(Buffer.concat(parts));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Parses one reply starting at `start`; undefined when the buffer does not hold a whole reply yet. */
function parseReply(buffer: Buffer, start: number): { value: RespReply; end: number } | undefined {
  const lineEnd = buffer.indexOf('\r\n', start);
  if (lineEnd === -1) return undefined;
  const head = String.fromCharCode(buffer[start] ?? 0);
  const line = buffer.toString('utf8', start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (head) {
    case '+':
      return { value: buffer.subarray(start + 1, lineEnd), end: next };
    case '-':
      return { value: new RespError(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: Buffer.from(buffer.subarray(next, next + length)), end: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RespReply[] = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, end);
        if (item === undefined) return undefined;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(head)}`);
  }
}
