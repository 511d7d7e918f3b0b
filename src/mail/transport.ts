import nodemailer from 'nodemailer';
import type { Config } from '../config';

export interface MailMessage {
  /** Becomes the Message-ID, so a receiver can spot a redelivery of the same mail. */
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
}

export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * Over SMTP when SMTP_URL is set; otherwise printed to the console, for local development.
 * SMTP connections are pooled and reused (5 at most, 100 mails each; the URL's query can set
 * `maxConnections` and `maxMessages`): a new connection per mail costs a handshake, and TLS
 * where the server offers it, every time.
 */
export function createMailTransport(config: Config): MailTransport {
  if (config.mail.smtpUrl === undefined) return consoleTransport();
  const transporter = nodemailer.createTransport({ url: config.mail.smtpUrl, pool: true });
  return {
    async send(message) {
      await transporter.sendMail({
        messageId: `<${message.id}@connectprof.local>`,
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    },
    close: () => transporter.close(),
  };
}

function consoleTransport(): MailTransport {
  return {
    async send(message) {
      // Development only (SMTP_URL unset): the console stands in for the mailbox, on stdout
      // and never through the logger, whose lines may be shipped elsewhere.
      process.stdout.write(
        `\n----- mail ${message.id} -----\nTo: ${message.to}\nSubject: ${message.subject}\n\n${message.text}\n-----\n`,
      );
    },
    close: () => undefined,
  };
}
