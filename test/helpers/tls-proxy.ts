import net from 'node:net';
import tls from 'node:tls';

/**
 * Terminates TLS in front of a plaintext server (the Temporal dev server has no TLS of its own),
 * as a secured cluster's frontend does: it presents `cert`, and with `clientCa` it demands a
 * client certificate signed by that CA (mTLS) and drops anyone without one.
 */
export class TlsProxy {
  /** Connections that completed the handshake with an accepted client certificate. */
  authorizedConnections = 0;
  private readonly sockets = new Set<net.Socket>();
  private readonly server: tls.Server;

  private constructor(
    target: { host: string; port: number },
    options: { cert: string; key: string; clientCa: string },
  ) {
    this.server = tls.createServer(
      {
        cert: options.cert,
        key: options.key,
        ca: [options.clientCa],
        requestCert: true,
        rejectUnauthorized: true,
        ALPNProtocols: ['h2'],
      },
      (client) => {
        if (client.authorized) this.authorizedConnections += 1;
        const upstream = net.connect(target.port, target.host);
        for (const socket of [client, upstream]) {
          this.sockets.add(socket);
          socket.on('close', () => this.sockets.delete(socket));
          socket.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      },
    );
    this.server.on('tlsClientError', () => undefined);
  }

  static async start(
    targetAddress: string,
    options: { cert: string; key: string; clientCa: string },
  ): Promise<TlsProxy> {
    const [host = '127.0.0.1', port] = targetAddress.split(':');
    const proxy = new TlsProxy({ host, port: Number(port) }, options);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get address(): string {
    return `localhost:${(this.server.address() as net.AddressInfo).port}`;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
