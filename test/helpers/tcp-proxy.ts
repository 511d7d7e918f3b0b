import net from 'node:net';

/**
 * A TCP proxy in front of a real server (PostgreSQL, the Temporal frontend), so a test can take
 * the server out of reach, or make it stop answering, and bring it back without touching the
 * server itself.
 */
export class TcpProxy {
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  /** Connections accepted while frozen: held, unanswered, until thawed. */
  private readonly held = new Set<net.Socket>();
  private readonly server: net.Server;
  private down = false;
  private frozen = false;
  private repliesHeld = false;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = net.createServer((client) => {
      client.on('error', () => undefined);
      if (this.down) {
        client.destroy();
        return;
      }
      if (this.frozen) {
        client.pause();
        this.held.add(client);
        client.on('close', () => this.held.delete(client));
        return;
      }
      this.connect(client);
    });
  }

  private connect(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, this.targetHost);
    upstream.on('error', () => undefined);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const forget = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', forget);
    upstream.on('close', forget);
    client.pipe(upstream);
    if (this.repliesHeld) upstream.pause();
    else upstream.pipe(client);
  }

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Drops every open connection and refuses new ones, as an unreachable server would. */
  cut(): void {
    this.down = true;
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    for (const socket of this.held) socket.destroy();
  }

  /**
   * Keeps every connection open but passes nothing on, either way, and holds new ones unanswered:
   * a server whose process is stopped (SIGSTOP) looks exactly like this from outside.
   */
  freeze(): void {
    this.frozen = true;
    for (const { client, upstream } of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /**
   * Passes requests on but holds every answer: the server acts on a call whose caller never
   * hears back, as when the answer is lost past the caller's deadline.
   */
  holdReplies(): void {
    this.repliesHeld = true;
    for (const { client, upstream } of this.pairs) {
      upstream.unpipe(client);
      upstream.pause();
    }
  }

  restore(): void {
    this.down = false;
    if (this.repliesHeld) {
      this.repliesHeld = false;
      for (const { client, upstream } of this.pairs) upstream.pipe(client);
    }
    if (this.frozen) {
      this.frozen = false;
      for (const { client, upstream } of this.pairs) {
        client.pipe(upstream);
        upstream.pipe(client);
      }
      for (const client of this.held) {
        this.held.delete(client);
        this.connect(client);
        client.resume();
      }
    }
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
