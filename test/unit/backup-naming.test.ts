import { describe, expect, it } from 'vitest';
import {
  backupFileName,
  manifestPath,
  minuteStamp,
  parseBackupName,
  partialPath,
} from '../../src/tasks/backup/naming.js';

describe('backup file names', () => {
  const at = new Date(2026, 10, 25, 3, 7, 59);

  it('carry the database, the minute and the code version', () => {
    expect(minuteStamp(at)).toBe('202611250307');
    expect(backupFileName('catmaid', at, '3f2a9c1', 'sql')).toBe('catmaid_202611250307_3f2a9c1.sql');
    expect(backupFileName('catmaid', at, '3f2a9c1', 'custom')).toBe('catmaid_202611250307_3f2a9c1.dump');
    expect(backupFileName('catmaid', at, '3f2a9c1', 'directory')).toBe('catmaid_202611250307_3f2a9c1.dir');
  });

  it('say nogit without a checkout and number a second backup of the same minute', () => {
    expect(backupFileName('db', at, null, 'sql')).toBe('db_202611250307_nogit.sql');
    expect(backupFileName('db', at, 'abcdef0', 'sql', 2)).toBe('db_202611250307_abcdef0-2.sql');
  });

  it('read back, database names with underscores included', () => {
    const parsed = parseBackupName('/b/my_cat_db_202611250307_abcdef0-2.dump');
    expect(parsed).toMatchObject({ database: 'my_cat_db', stamp: '202611250307', shortCommit: 'abcdef0', format: 'custom' });
    expect(parsed?.date.getTime()).toBe(new Date(2026, 10, 25, 3, 7).getTime());
    expect(parseBackupName('db_202611250307_nogit.sql')?.shortCommit).toBeNull();
  });

  it('do not mistake a hand-made dump for one of ours', () => {
    expect(parseBackupName('catmaid.sql')).toBeNull();
    expect(parseBackupName('catmaid_2026_x.sql')).toBeNull();
    expect(parseBackupName('catmaid_202611250307_3f2a9c1.sql.partial')).toBeNull();
  });

  it('put the manifest and the partial next to the dump, under the whole name', () => {
    expect(manifestPath('/b/x_202611250307_abc1234.sql')).toBe('/b/x_202611250307_abc1234.sql.json');
    expect(manifestPath('/b/x_202611250307_abc1234.dir/')).toBe('/b/x_202611250307_abc1234.dir.json');
    expect(partialPath('/b/x_202611250307_abc1234.dump')).toBe('/b/x_202611250307_abc1234.dump.partial');
  });
});
