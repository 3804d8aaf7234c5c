import { describe, expect, it } from 'vitest';
import { copyProblems } from '../../src/commands/backup-run.js';

describe('a failed copy in the run record', () => {
  it('is said once per destination and reason, with how many backups it held back', () => {
    const down = { destination: '/mnt/offsite', ok: false, detail: 'ENOTDIR: not a directory' };
    const problems = copyProblems([down, down, down, { destination: 'b@h:/x', ok: false, detail: 'ssh: Connection refused' }, { destination: '/mnt/other', ok: true, detail: '/mnt/other/a.sql' }]);
    expect(problems).toEqual(['copy to /mnt/offsite failed: ENOTDIR: not a directory (3 backups)', 'copy to b@h:/x failed: ssh: Connection refused']);
  });
});
