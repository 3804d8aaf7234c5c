import { describe, expect, it } from 'vitest';
import { parseDeployWarnings } from '../../src/tasks/ssl/django-secure.js';
import { hstsExplanation, restartLine } from '../../src/tasks/ssl/report.js';
import { restartPlan } from '../../src/tasks/ssl/restart.js';

describe('restarting nginx for new certificates', () => {
  it('uses systemctl on a systemd machine with the system nginx', () => {
    const plan = restartPlan({ binary: '/usr/sbin/nginx', configArgs: [] }, true);
    expect(plan).toMatchObject({ how: 'systemctl', display: 'systemctl restart nginx', reloadDisplay: 'systemctl reload nginx' });
  });

  it('stops and starts the same nginx with the same configuration elsewhere', () => {
    const plan = restartPlan({ binary: '/usr/sbin/nginx', configArgs: ['-c', '/srv/n.conf'] }, true);
    expect(plan.how).toBe('signal');
    expect(plan.display).toBe('/usr/sbin/nginx -c /srv/n.conf -s stop && /usr/sbin/nginx -c /srv/n.conf');
    expect(plan.reloadDisplay).toBe('/usr/sbin/nginx -c /srv/n.conf -s reload');
    expect(restartPlan({ binary: '/usr/sbin/nginx', configArgs: [] }, false).display).toBe('/usr/sbin/nginx -s stop && /usr/sbin/nginx');
  });

  it("says why a restart and not a reload, naming CATMAID's administration manual", () => {
    expect(restartLine('systemctl restart nginx')).toBe("New certificate files need a restart of nginx, not a reload (CATMAID's administration manual): systemctl restart nginx");
    expect(restartLine('x')).not.toMatch(/seed/i);
  });
});

describe('what the admin is told', () => {
  it('explains the HSTS risk whether it is on or off', () => {
    expect(hstsExplanation(true)).toMatch(/^HSTS on \(max-age=63072000\): .*locked out/);
    expect(hstsExplanation(false)).toMatch(/^HSTS off\. Add --hsts .*locked out/);
  });

  it('lists check --deploy warnings with what they mean, unknown ones with a link', () => {
    const output = [
      'System check identified some issues:',
      '',
      'WARNINGS:',
      "?: (security.W018) You should not have DEBUG set to True in deployment.",
      '?: (security.W999) Something new.',
      '',
      'System check identified 2 issues (0 silenced).',
    ].join('\n');
    expect(parseDeployWarnings(output)).toEqual([
      { id: 'security.W018', message: 'You should not have DEBUG set to True in deployment.', meaning: expect.stringMatching(/^DEBUG is on/) },
      { id: 'security.W999', message: 'Something new.', meaning: expect.stringContaining('docs.djangoproject.com') },
    ]);
  });
});
