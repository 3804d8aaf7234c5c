import type { render } from 'ink-testing-library';
import type { InstanceServices } from '../../src/hooks/useInstance.js';
import type { LocatedInstance } from '../../src/tasks/instance/locate.js';
import type { InstanceInfo } from '../../src/tasks/instance/types.js';

export const KEY = { up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', enter: '\r', esc: '\x1b', backspace: '\x7f' } as const;

type Rendered = ReturnType<typeof render>;

/** Let React run its effects (ink's input handlers subscribe in them) before the next key is typed. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Wait until the newest frame satisfies `check`; fail with that frame after `timeoutMs`. */
export async function waitForFrame(
  app: Pick<Rendered, 'lastFrame'>,
  check: (frame: string) => boolean,
  timeoutMs = 3000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = app.lastFrame() ?? '';
    if (check(frame)) {
      await settle();
      return frame;
    }
    if (Date.now() > deadline) throw new Error(`frame never matched; last frame:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const waitForText = (app: Pick<Rendered, 'lastFrame'>, text: string): Promise<string> =>
  waitForFrame(app, (frame) => frame.includes(text));

/** Type keys one at a time, letting the app handle each before the next. */
export async function press(app: Pick<Rendered, 'stdin'>, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    app.stdin.write(key);
    await settle();
  }
}

/**
 * Wait for the frames the last keys cause: until no new frame has come for `quietMs` (ink draws each render as
 * a frame). A check that something did NOT change after a key must look at that frame, not at the one from
 * before the key was handled, or it passes whatever the key did. Returns the newest frame.
 */
export async function waitForQuiet(app: Pick<Rendered, 'frames' | 'lastFrame'>, quietMs = 150, timeoutMs = 3000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let count = app.frames.length;
  let still = Date.now();
  while (Date.now() - still < quietMs && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (app.frames.length !== count) {
      count = app.frames.length;
      still = Date.now();
    }
  }
  await settle();
  return app.lastFrame() ?? '';
}

/** Type keys, then wait for the frame they lead to (see waitForQuiet); for checks that something did not happen. */
export async function pressAndWait(app: Pick<Rendered, 'stdin' | 'frames' | 'lastFrame'>, ...keys: string[]): Promise<string> {
  await press(app, ...keys);
  return waitForQuiet(app);
}

export const located: LocatedInstance = { name: 'catmaid', root: '/srv/catmaid', via: '--catmaid-dir' };

/** An instance as discovery would report it for a healthy production install. */
export function fakeInfo(overrides: Partial<InstanceInfo> = {}): InstanceInfo {
  return {
    name: 'catmaid',
    layout: {
      root: '/srv/catmaid',
      djangoDir: '/srv/catmaid/django',
      projectsDir: '/srv/catmaid/django/projects',
      managePy: '/srv/catmaid/django/projects/manage.py',
      settingsPy: '/srv/catmaid/django/projects/mysite/settings.py',
      settingsBasePy: '/srv/catmaid/django/projects/mysite/settings_base.py',
      python: '/srv/catmaid/django/env/bin/python',
      virtualenv: true,
    },
    git: {
      branch: 'master',
      commit: '3f2a9c1d0e5b7a8c9d0e1f2a3b4c5d6e7f8a9b0c',
      shortCommit: '3f2a9c1',
      describe: '2021.12.21-4-g3f2a9c1',
      latestRelease: '2021.12.21',
      dirty: false,
      ownFiles: [],
      changes: [],
    },
    settings: {
      source: 'django',
      settings: {
        database: { name: 'catmaid', user: 'catmaid_user', password: 'secret', host: '127.0.0.1', port: 5432 },
        connMaxAge: 60,
        debug: false,
        allowedHosts: ['catmaid.example.org'],
        staticExtensionUrl: '/staticext/',
        staticExtensionRoot: '/srv/catmaid/django/staticext',
        staticExtensionFiles: [],
        staticExtensionFilesIsList: true,
        sessionCookieSecure: true,
        csrfCookieSecure: true,
        secureProxySslHeader: ['HTTP_X_FORWARDED_PROTO', 'https'],
      },
    },
    database: { reachable: true, serverVersion: '15.4', serverVersionNum: 150004, sizeBytes: 412 * 1024 ** 2 },
    servers: [
      { pid: 4021, kind: 'gunicorn', command: 'gunicorn mysite.wsgi' },
      { pid: 4022, kind: 'gunicorn', command: 'gunicorn mysite.wsgi' },
    ],
    processes: [],
    ...overrides,
  };
}

export const downDatabase = {
  reachable: false,
  error: 'connect ECONNREFUSED 127.0.0.1:5432',
} as const;

/** Services that answer from memory; `probe` answers with whatever `live` holds at the time. */
export function fakeServices(info: InstanceInfo = fakeInfo()): InstanceServices & { live: { current: InstanceInfo } } {
  const live = { current: info };
  return {
    live,
    discover: async () => info,
    probe: async () => ({ database: live.current.database, servers: live.current.servers }),
  };
}
