// JSON logs (pino). Nothing logs request headers or bodies; the redaction list is a second line
// of defence should a future log call pass an object that holds a secret.
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  'token',
  'secret',
  'password',
  'authorization',
  '*.token',
  '*.secret',
  '*.password',
  '*.authorization',
  '*.headers.authorization',
  '*.privateKey',
  '*.private_key',
  '*.sealedPrivateKey',
  '*.kek',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, base: { service: 'mcps-ta' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, timestamp: pino.stdTimeFunctions.isoTime },
    destination,
  );
}
