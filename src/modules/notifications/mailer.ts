import nodemailer, { type Transporter } from 'nodemailer';

interface Logger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export interface Mail {
  to: string | string[];
  subject: string;
  text: string;
}

export interface Mailer {
  /** False when no SMTP server is configured: the inboxes alone tell people what waits for them. */
  readonly enabled: boolean;
  /** Sends after the change is committed; a failure is logged, never thrown: mail is a courtesy. */
  send(mail: Mail): Promise<void>;
  /** Sends now and throws when SMTP refuses: the mail job's worker, which retries (see mail-queue.ts). */
  deliver(mail: Mail): Promise<void>;
  /** Mails sent so far, when the transport keeps them (tests use nodemailer's JSON transport). */
  readonly sent: Mail[];
}

export function createMailer(options: { smtpUrl?: string; from: string; transport?: object; log: Logger }): Mailer {
  const transportOptions = options.transport ?? options.smtpUrl;
  const transporter: Transporter | null = transportOptions ? nodemailer.createTransport(transportOptions as never) : null;
  const sent: Mail[] = [];
  async function deliver(mail: Mail) {
    if (!transporter) return;
    const recipients = (Array.isArray(mail.to) ? mail.to : [mail.to]).filter(Boolean);
    if (recipients.length === 0) return;
    await transporter.sendMail({ from: options.from, to: recipients, subject: mail.subject, text: mail.text });
    sent.push({ ...mail, to: recipients });
  }
  return {
    enabled: transporter !== null,
    sent,
    deliver,
    async send(mail) {
      try {
        await deliver(mail);
      } catch (error) {
        options.log.warn({ err: error, subject: mail.subject }, 'mail could not be sent');
      }
    },
  };
}
