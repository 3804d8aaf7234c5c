/** What instance discovery knows about a CATMAID checkout. Shared by `info`, Home and every later feature. */
import type { InstanceProcess } from './processes.js';

export interface DatabaseSettings {
  name: string;
  user: string;
  /** Never printed, logged or put in argv. */
  password: string;
  /** Empty means the local socket, like libpq. */
  host: string;
  port: number;
}

export interface EffectiveSettings {
  database: DatabaseSettings;
  /** Seconds; null = forever (Django's None); 0 = a new connection per request. */
  connMaxAge: number | null;
  debug: boolean;
  allowedHosts: string[];
  staticExtensionUrl: string | null;
  staticExtensionRoot: string | null;
  /** As Django sees it; `isList` false means CATMAID would refuse to start (it demands a list). */
  staticExtensionFiles: string[];
  staticExtensionFilesIsList: boolean;
  sessionCookieSecure: boolean;
  csrfCookieSecure: boolean;
  secureProxySslHeader: [string, string] | null;
}

export interface SettingsReading {
  settings: EffectiveSettings;
  /** `django`: imported by the instance's python; `static`: read from the files' plain assignments. */
  source: 'django' | 'static';
  /** Why the static reader was used (the Django import's error), when it was. */
  fallbackReason?: string;
}

export interface GitState {
  branch: string | null;
  commit: string;
  shortCommit: string;
  /** `git describe` on release tags only, e.g. `2021.12.21-4-g3f2a9c1` (never the moving `stable` tag). */
  describe: string | null;
  /** Newest `YYYY.MM.DD` tag reachable from HEAD. */
  latestRelease: string | null;
  dirty: boolean;
  /** `git status --porcelain` lines when dirty (untracked files included, ignored ones not). */
  changes: string[];
  /** Untracked files catmaid-tui itself wrote (extension files, old settings.py copies): not local changes. */
  ownFiles: string[];
}

export interface InstanceLayout {
  root: string;
  djangoDir: string;
  projectsDir: string;
  managePy: string;
  settingsPy: string;
  settingsBasePy: string | null;
  /** `django/env/bin/python` when the virtualenv exists, else the system python3. */
  python: string;
  virtualenv: boolean;
}

export interface DatabaseState {
  reachable: boolean;
  error?: string;
  serverVersion?: string;
  serverVersionNum?: number;
  sizeBytes?: number;
}

export interface ServerProcess {
  pid: number;
  kind: 'uwsgi' | 'gunicorn' | 'daphne' | 'runserver';
  command: string;
}

export interface InstanceInfo {
  name: string;
  layout: InstanceLayout;
  git: GitState | { error: string };
  settings: SettingsReading;
  database: DatabaseState;
  servers: ServerProcess[];
  /** Every process running the instance's code, with who runs it (the update's pre-flight reads the same). */
  processes: InstanceProcess[];
}
