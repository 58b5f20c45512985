import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACTED_PATHS } from './logger';

describe('log redaction', () => {
  it('drops credentials wherever callers put them, and keeps the user name', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    const secret = 'canary-secret-value';
    log.info({ authorization: `Bearer ${secret}`, token: secret, user: 'alice' }, 'top level');
    log.info({ req: { headers: { authorization: `Bearer ${secret}`, cookie: `s=${secret}` } } }, 'request');
    log.info({ request: { headers: { 'x-csrf-token': secret, cookie: secret } } }, 'csrf');
    log.info({ caller: { user: 'alice', credential: { token: secret } }, launchSecret: secret }, 'caller');
    log.info({ kubeconfig: { user: { token: secret, password: secret } } }, 'kubeconfig');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).not.toContain(secret);
    expect(lines[0]).toContain('alice');
  });
});
