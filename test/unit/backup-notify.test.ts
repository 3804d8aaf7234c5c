import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeSendmail, sentMails } from '../helpers/fake-sendmail.js';
import { checkMailAddress, failureMail, findSendmail, notifyFailure, type FailureNotice } from '../../src/tasks/backup/notify.js';

const notice: FailureNotice = {
  instance: 'main',
  root: '/srv/catmaid',
  database: 'catmaid',
  reason: 'backup folder /srv/backups is not writable: permission denied;\nnothing was written',
  startedAt: new Date('2026-11-25T03:00:00Z'),
  finishedAt: new Date('2026-11-25T03:00:02Z'),
  log: '/root/.local/state/catmaid-tui/logs/x.log',
};

describe('failure notices', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'notify-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('mails through the sendmail on PATH, recipients from the header, the reason on one line', async () => {
    const fake = await fakeSendmail(path.join(dir, 'mta'));
    const env = { PATH: `${fake.bin}:/usr/bin:/bin` };
    expect(findSendmail(env)).toBe(path.join(fake.bin, 'sendmail'));
    const said = await notifyFailure(notice, { mailTo: 'admin@example.org' }, env);
    expect(said).toEqual([`mail to admin@example.org (${fake.bin}/sendmail)`]);
    const [mail] = await sentMails(fake.record);
    expect(mail.args).toEqual(['-t', '-oi']);
    expect(mail.text).toMatch(/^To: admin@example.org\nSubject: catmaid-tui: scheduled backup of main failed\n/);
    expect(mail.text).toContain('\n  backup folder /srv/backups is not writable: permission denied; · nothing was written\n');
    expect(mail.text).toContain('catmaid-tui --catmaid-dir /srv/catmaid backups --check');
  });

  it('says so when there is no MTA, and encodes a subject that is not ASCII', async () => {
    expect(await notifyFailure(notice, { mailTo: 'root' }, { PATH: '/nonexistent' })).toEqual(
      findSendmail({ PATH: '/nonexistent' }) ? [expect.stringMatching(/^mail to root/)] : ['no mail to root: no local MTA (sendmail) found'],
    );
    expect(failureMail({ ...notice, instance: 'Gehirn\nBcc: x' }, 'root')).toMatch(/\nSubject: catmaid-tui: scheduled backup of Gehirn Bcc: x failed\n/);
    expect(failureMail({ ...notice, instance: 'cerveau-é' }, 'root')).toMatch(/\nSubject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=\n/);
  });

  it('runs the notify command as an argument array, the failure in its environment and on stdin', async () => {
    const out = path.join(dir, 'command-out');
    const script = path.join(dir, 'page.sh');
    await fs.writeFile(script, `#!/bin/sh\n{ printf '%s\\n' "$@"; env | grep ^CATMAID_TUI_ | sort; cat; } > "${out}"\n`, { mode: 0o755 });
    const said = await notifyFailure(notice, { command: [script, 'two words', '$HOME;rm -rf /'] }, { PATH: '/usr/bin:/bin' });
    expect(said).toEqual([`command ${script}: ok`]);
    const text = await fs.readFile(out, 'utf8');
    expect(text.startsWith('two words\n$HOME;rm -rf /\n')).toBe(true);
    expect(text).toContain('CATMAID_TUI_RESULT=failed\n');
    expect(text).toContain('CATMAID_TUI_REASON=backup folder /srv/backups is not writable: permission denied; · nothing was written\n');
    expect(text).toContain('CATMAID_TUI_INSTANCE=main\n');
    expect(text).toContain('The scheduled backup of CATMAID instance main (/srv/catmaid) failed');
    expect(await notifyFailure(notice, { command: ['/nonexistent/page'] }, {})).toEqual([expect.stringMatching(/^command \/nonexistent\/page: failed \(.*ENOENT/)]);
  });

  it('refuses addresses that would be header syntax or options', () => {
    expect(checkMailAddress('root')).toBe('root');
    for (const bad of ['', 'a b', '-oQ/tmp', 'a\nBcc: b', 'a,b', '<a@b>']) expect(() => checkMailAddress(bad)).toThrow(/not a mail address/);
  });
});
