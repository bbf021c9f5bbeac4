/**
 * A TCP forwarder for tests, in two roles:
 *   - a load balancer in front of several chat nodes (round robin over the
 *     targets that accept, like an LB without sticky sessions);
 *   - a link to PostgreSQL that a test can cut (every open connection reset,
 *     new ones refused) and restore, to simulate the database going away
 *     without touching the shared instance;
 *   - a link that goes silent (`freeze`: the open connections stay open and
 *     forward nothing more, either way, as behind a NAT that dropped the flow;
 *     new connections work).
 */
import { once } from 'node:events';
import net from 'node:net';

export interface ProxyTarget {
  host: string;
  port: number;
}

export class TcpProxy {
  private readonly server: net.Server;
  private readonly open = new Set<net.Socket>();
  /** Client and upstream of each forwarded connection. */
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private targets: ProxyTarget[];
  private next = 0;
  private isCut = false;

  private constructor(targets: ProxyTarget[]) {
    this.targets = targets;
    this.server = net.createServer((client) => this.forward(client));
  }

  /** Listens on a free port of 127.0.0.1. */
  static async start(targets: ProxyTarget[]): Promise<TcpProxy> {
    const proxy = new TcpProxy(targets);
    proxy.server.listen(0, '127.0.0.1');
    await once(proxy.server, 'listening');
    return proxy;
  }

  /** A link to the Redis at `redisUrl`, and the URL that reaches Redis through it. */
  static async toRedis(redisUrl: string): Promise<{ link: TcpProxy; url: string }> {
    const redis = new URL(redisUrl);
    const link = await TcpProxy.start([{ host: redis.hostname, port: Number(redis.port || 6379) }]);
    const viaLink = new URL(redisUrl);
    viaLink.hostname = '127.0.0.1';
    viaLink.port = String(link.port);
    return { link, url: viaLink.toString() };
  }

  get port(): number {
    const address = this.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('proxy not listening');
    return address.port;
  }

  /** Number of client connections currently forwarded. */
  get connections(): number {
    return this.open.size / 2;
  }

  setTargets(targets: ProxyTarget[]): void {
    this.targets = targets;
  }

  /** Resets every forwarded connection and refuses new ones until `restore`. */
  cut(): void {
    this.isCut = true;
    for (const socket of this.open) socket.resetAndDestroy();
    this.open.clear();
  }

  restore(): void {
    this.isCut = false;
  }

  /** The connections open now stay open but forward nothing more, in either direction; new ones are forwarded. */
  freeze(): void {
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.cut();
    this.server.close();
    await once(this.server, 'close');
  }

  private forward(client: net.Socket, tried = 0): void {
    if (this.isCut || this.targets.length === 0 || tried >= this.targets.length) {
      client.resetAndDestroy();
      return;
    }
    const target = this.targets[this.next++ % this.targets.length];
    if (!target) {
      client.resetAndDestroy();
      return;
    }
    client.pause();
    const upstream = net.connect(target.port, target.host);
    const connectFailed = () => {
      // This target is down: try the next one, as an LB's retry would.
      upstream.destroy();
      if (!client.destroyed) this.forward(client, tried + 1);
    };
    upstream.once('error', connectFailed);
    upstream.once('connect', () => {
      upstream.off('error', connectFailed);
      if (this.isCut || client.destroyed) {
        upstream.resetAndDestroy();
        client.destroy();
        return;
      }
      this.open.add(client).add(upstream);
      const pair: [net.Socket, net.Socket] = [client, upstream];
      this.pairs.add(pair);
      const end = () => {
        this.open.delete(client);
        this.open.delete(upstream);
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }
}
