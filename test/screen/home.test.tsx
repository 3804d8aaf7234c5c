import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { ShellContext, type ShellControl } from '../../src/hooks/shell-context.js';
import { Home } from '../../src/screens/Home.js';
import type { ScreenDef } from '../../src/screens/registry.js';
import type { InstanceInfo } from '../../src/tasks/instance/types.js';
import { downDatabase, fakeInfo, KEY, press, pressAndWait, waitForText } from './helpers.js';

afterEach(() => cleanup());

const Empty = () => <Text>empty</Text>;
const menu: ScreenDef[] = ['Backup', 'Update', 'Monitor'].map((title) => ({
  id: title.toLowerCase(),
  title,
  menuLabel: title,
  keys: [],
  component: Empty,
}));
menu[0].useStatus = (info: InstanceInfo) => `last: never · ${info.name}`;

function renderHome(info: InstanceInfo, opened: string[] = [], entries: ScreenDef[] = menu, size = { width: 100, height: 27 }) {
  const shell: ShellControl = {
    open: (id) => opened.push(id),
    back: () => undefined,
    quit: () => undefined,
    hold: () => undefined,
    publishKeys: () => undefined,
  };
  return render(
    <ShellContext.Provider value={shell}>
      <Home info={info} active width={size.width} height={size.height} menu={entries} checkedAt={Date.now()} />
    </ShellContext.Provider>,
  );
}

/** The frame's text without borders and with wrapped lines joined, for phrases that may wrap. */
const flat = (frame: string): string => frame.replace(/[│┌┐└┘─]/g, ' ').replace(/\s+/g, ' ');

/** The label of the menu row marked as selected. */
const selectedRow = (frame: string): string | undefined => frame.match(/› (\w+)/)?.[1];

describe('Home', () => {
  it('summarises a healthy instance: version, git, python, settings, database up, server running', async () => {
    const app = renderHome(fakeInfo());
    const frame = await waitForText(app, 'Instance');
    expect(frame).toContain('/srv/catmaid');
    expect(frame).toContain('Version    2021.12.21-4-g3f2a9c1');
    expect(frame).toContain('Release    2021.12.21');
    expect(frame).toContain('✓ master @ 3f2a9c1 · clean');
    expect(frame).toContain('✓ django/env/bin/python (virtualenv)');
    expect(frame).toContain('✓ read by Django');
    expect(frame).toContain('● up · catmaid@127.0.0.1:5432');
    expect(frame).toContain('15.4 · 412 MB');
    expect(frame).toContain('● gunicorn ×2 running');
    expect(frame).toContain('CONN_MAX_AGE 60 · DEBUG False');
    expect(frame).toContain('last: never · catmaid');
  });

  it('says when the database is down, with the error, and when nothing serves the instance', async () => {
    const base = fakeInfo();
    const info = fakeInfo({
      database: downDatabase,
      servers: [],
      git: { ...(base.git as Exclude<InstanceInfo['git'], { error: string }>), dirty: true, changes: [' M x', '?? y'] },
      settings: { ...base.settings, source: 'static', fallbackReason: 'No module named django' },
    });
    const frame = await waitForText(renderHome(info), 'Instance');
    expect(flat(frame)).toContain('✗ down · connect ECONNREFUSED 127.0.0.1:5432');
    expect(frame).toContain('· not running');
    expect(frame).toContain('! master @ 3f2a9c1 · dirty (2 changed)');
    expect(frame).toContain('! read statically: No module named django');
    expect(frame).not.toContain('412 MB');
  });

  it('moves through the menu with arrows and j/k, stopping at the ends, and opens with Enter', async () => {
    const opened: string[] = [];
    const app = renderHome(fakeInfo(), opened);
    expect(selectedRow(await waitForText(app, 'Backup'))).toBe('Backup');
    expect(selectedRow(await pressAndWait(app, KEY.down))).toBe('Update');
    expect(selectedRow(await pressAndWait(app, 'j', 'j'))).toBe('Monitor');
    // Down at the end stays there.
    expect(selectedRow(await pressAndWait(app, 'j'))).toBe('Monitor');
    expect(selectedRow(await pressAndWait(app, 'k'))).toBe('Update');
    expect(selectedRow(await pressAndWait(app, KEY.up, KEY.up))).toBe('Backup');
    await press(app, 'j', KEY.enter);
    expect(opened).toEqual(['update']);
  });

  it('handles keys that arrive in one chunk (fast typing, tmux send-keys) one by one', async () => {
    const opened: string[] = [];
    const app = renderHome(fakeInfo(), opened);
    await waitForText(app, 'Backup');
    await press(app, 'jj\r');
    expect(opened).toEqual(['monitor']);
  });

  it('shows an empty menu plainly while no screens are registered', async () => {
    const frame = await waitForText(renderHome(fakeInfo(), [], []), 'Actions');
    expect(frame).toContain('No actions yet.');
  });
});

/** The Home menu as the registry has it: eight entries, two with a status. */
const fullMenu: ScreenDef[] = ['Update', 'Backup', 'Restore', 'Schedule backups', 'Monitor connections', 'Performance checkup', 'SSL setup', 'Custom front-end code'].map(
  (title) => ({ id: title.toLowerCase(), title, menuLabel: title, keys: [], component: Empty }),
);
fullMenu[1].useStatus = () => 'last: 19 h ago, 61 MB ✓ verified · next 03:00 daily';
fullMenu[7].useStatus = () => '2 file(s)';

describe('the Home menu in a small room', () => {
  it("cuts a status that does not fit on its own line, without an empty row after it (Backup's at 100 columns)", async () => {
    const frame = await waitForText(renderHome(fakeInfo(), [], fullMenu), 'Custom front-end code');
    const lines = frame.split('\n');
    const backup = lines.findIndex((line) => / {3}Backup /.test(line));
    expect(lines[backup]).toMatch(/│ {3}Backup +last: 19 h ago… │$/);
    expect(lines[backup + 1]).toMatch(/│ {3}Restore +│$/);
    expect(frame).toMatch(/Custom front-end code +2 file\(s\)/);
  });

  it('says how much of the menu is out of view at 80×24, above and below', async () => {
    // 80×24: the body between title and status bar is 21 lines; Home stacks the summary above the menu.
    const app = renderHome(fakeInfo(), [], fullMenu, { width: 80, height: 21 });
    let frame = await waitForText(app, '↓ 3 more');
    expect(frame).toContain('› Update');
    expect(frame).not.toContain('Custom front-end code');
    await press(app, 'G');
    frame = await waitForText(app, '↑ 3 more');
    expect(frame).toContain('› Custom front-end code');
    expect(frame).not.toContain('↓');
  });
});

describe('Home notices', () => {
  it('puts what needs attention first, one line each, cut rather than wrapped', () => {
    const shell: ShellControl = { open: () => undefined, back: () => undefined, quit: () => undefined, hold: () => undefined, publishKeys: () => undefined };
    const { lastFrame } = render(
      <ShellContext.Provider value={shell}>
        <Home
          info={fakeInfo()}
          active
          width={100}
          height={27}
          menu={menu}
          checkedAt={Date.now()}
          notices={[{ id: 'update.unfinished', severity: 'fail', text: 'update to 2021.12.21 unfinished since 14:02: resume or roll back, the database may be at a newer migration than the code', command: 'catmaid-tui update --rollback' }]}
        />
      </ShellContext.Provider>,
    );
    const lines = (lastFrame() ?? '').split('\n');
    const at = lines.findIndex((line) => line.includes('Attention'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at]).toContain('✗ update to 2021.12.21 unfinished');
    expect(lines[at]).toContain('…');
    expect(lines[at + 1]).toContain('Root');
  });
});
