import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Anything that could carry a secret or personal data is redacted at the
 * logger, so a careless `log.info(req.body)` still leaks nothing.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.oldPassword',
  '*.newPassword',
  '*.newPasswordConfirm',
  '*.code',
  '*.token',
  '*.secret',
  '*.email',
  '*.to',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'connectprof-account' },
    },
    destination,
  );
}
