import { derivedTablesNotice, scheduledBackupNotice } from '../backup/notices.js';
import { postgisNotices } from '../db/postgis.js';
import { sslNoticeProvider } from '../ssl/notices.js';
import { migrationNotices, unfinishedUpdateNotices } from '../update/notices.js';
import type { NoticeProvider } from './notices.js';

/**
 * The notices Home and `info` check for. A feature adds its provider here (one import, one entry); providers live
 * with their feature's tasks (e.g. src/tasks/update/notices.ts) and import nothing from React.
 */
export const NOTICE_PROVIDERS: NoticeProvider[] = [
  unfinishedUpdateNotices,
  migrationNotices,
  derivedTablesNotice,
  scheduledBackupNotice,
  postgisNotices,
  sslNoticeProvider,
];
