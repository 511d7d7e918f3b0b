import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

/**
 * A real SMTP server in the test process. Mail the service sends over SMTP lands in `messages`.
 * `failing = true` makes it refuse every message, standing in for an outage; an address in
 * `rejectedRecipients` is refused at RCPT TO, named in the reply as its server style does (Postfix
 * names the address, sendmail its local part).
 */
export class TestSmtpServer {
  readonly messages: ReceivedMail[] = [];
  /** SMTP connections opened to this server so far. */
  connections = 0;
  failing = false;
  readonly rejectedRecipients = new Map<string, 'postfix' | 'sendmail'>();
  private readonly server: SMTPServer;
  private waiters: Array<() => void> = [];

  private constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onConnect: (_session, callback) => {
        this.connections += 1;
        callback();
      },
      onRcptTo: (address, _session, callback) => {
        const style = this.rejectedRecipients.get(address.address);
        if (style) {
          const reply =
            style === 'postfix'
              ? `<${address.address}>: Recipient address rejected: User unknown`
              : `5.1.1 ${address.address.split('@')[0]}... User unknown`;
          callback(Object.assign(new Error(reply), { responseCode: 550 }));
          return;
        }
        callback();
      },
      onData: (stream, _session, callback) => {
        if (this.failing) {
          stream.resume();
          stream.on('end', () => callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 451 })));
          return;
        }
        simpleParser(stream).then(
          (mail: ParsedMail) => {
            const to = Array.isArray(mail.to) ? mail.to[0]?.text : mail.to?.text;
            this.messages.push({
              to: to ?? '',
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              messageId: mail.messageId ?? '',
            });
            for (const wake of this.waiters.splice(0)) wake();
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
  }

  static async start(): Promise<TestSmtpServer> {
    const smtp = new TestSmtpServer();
    await new Promise<void>((resolve) => smtp.server.listen(0, '127.0.0.1', resolve));
    return smtp;
  }

  get url(): string {
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://127.0.0.1:${port}`;
  }

  /** Waits until a mail matching `match` has arrived, and returns it. */
  async waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs = 15_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching mail within ${timeoutMs} ms (got ${this.messages.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The 6-digit code in a mail, read the way a person would. */
export function codeIn(mail: ReceivedMail): string {
  const match = /\b(\d{6})\b/.exec(mail.text);
  if (!match) throw new Error(`no code in mail "${mail.subject}"`);
  return match[1]!;
}
