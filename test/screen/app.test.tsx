import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/app.js';
import { useChangedAfter, useHold } from '../../src/hooks/shell-context.js';
import { useKeymap } from '../../src/hooks/useKeymap.js';
import { useTask } from '../../src/hooks/useTask.js';
import type { ScreenDef } from '../../src/screens/registry.js';
import type { LocatedInstance } from '../../src/tasks/instance/locate.js';
import { downDatabase, fakeInfo, fakeServices, KEY, located, press, waitForFrame, waitForText, pressAndWait } from './helpers.js';

afterEach(() => cleanup());

const size = { columns: 100, rows: 30 };

const backup: ScreenDef = {
  id: 'backup',
  title: 'Backup',
  menuLabel: 'Backup',
  keys: [{ action: 'start', keys: ['b'], label: 'b', help: 'start a backup now', hint: 'b back up' }],
  component: () => <Text>the backup screen</Text>,
};

function BusyScreen() {
  useHold('busy', true);
  return <Text>dumping table treenode</Text>;
}
const busy: ScreenDef = { id: 'busy', title: 'Busy', menuLabel: 'Busy', keys: [], component: BusyScreen };

/** A screen that changes the instance as an update would: the next discovery finds a newer release. */
const release = { ...fakeInfo(), git: { ...(fakeInfo().git as object), describe: '2022.03.01', latestRelease: '2022.03.01' } } as ReturnType<typeof fakeInfo>;
function updating(services: ReturnType<typeof fakeServices>): ScreenDef {
  const keys = [{ action: 'update', keys: ['u'], label: 'u', help: 'update', hint: 'u update' }];
  function UpdateScreen() {
    const task = useTask(async () => {
      services.discover = async () => release;
      return 'updated';
    });
    useChangedAfter(task.state);
    useKeymap(keys, () => task.start());
    return <Text>{task.state.status === 'done' ? 'update done' : 'ready to update'}</Text>;
  }
  return { id: 'update', title: 'Update', menuLabel: 'Update', keys, component: UpdateScreen };
}

function renderApp(options: { located?: LocatedInstance[]; screens?: ScreenDef[]; services?: ReturnType<typeof fakeServices>; onQuit?: () => void; size?: typeof size } = {}) {
  const services = options.services ?? fakeServices();
  return render(
    <App
      located={options.located ?? [located]}
      services={services}
      screens={options.screens ?? []}
      size={options.size ?? size}
      onQuit={options.onQuit ?? (() => undefined)}
      liveIntervalMs={50}
    />,
  );
}

describe('the wizard shell', () => {
  it('shows the title bar, Home, breadcrumbs and the keys that work here', async () => {
    const app = renderApp();
    const frame = await waitForText(app, 'Instance');
    const lines = frame.split('\n');
    expect(lines[0]).toContain('/srv/catmaid · 2021.12.21-4-g3f2a9c1 (master @ 3f2a9c1) · db catmaid@127.0.0.1:5432 ● up');
    expect(lines).toHaveLength(29);
    expect(lines[28]).toMatch(/^ Home +↑↓ move · ⏎ open · \? help · q quit$/);
  });

  it('? shows every key of the screen; ? or Esc closes the help again', async () => {
    const app = renderApp();
    await waitForText(app, 'Instance');
    await press(app, '?');
    let frame = await waitForText(app, 'Keys · Home');
    expect(frame).toContain('↓ j     move down');
    expect(frame).toContain('⏎       open the selected entry');
    expect(frame).toContain('q       quit (Ctrl+C always quits)');
    expect(frame).not.toContain('Instance');
    await press(app, '?');
    frame = await waitForText(app, 'Instance');
    expect(frame).not.toContain('Keys · Home');
    await press(app, '?');
    await waitForText(app, 'Keys · Home');
    await press(app, KEY.esc);
    expect(await waitForText(app, 'Instance')).not.toContain('Keys · Home');
  });

  it('q quits from Home', async () => {
    const onQuit = vi.fn();
    const app = renderApp({ onQuit });
    await waitForText(app, 'Instance');
    await press(app, 'q');
    expect(onQuit).toHaveBeenCalledTimes(1);
  });

  it('says the terminal is too small instead of drawing a broken layout, and q still quits', async () => {
    const onQuit = vi.fn();
    const app = renderApp({ onQuit, size: { columns: 70, rows: 20 } });
    const frame = await waitForText(app, 'Terminal too small: 70×20');
    expect(frame).toContain('needs at least 80×24');
    expect(frame).not.toContain('Instance');
    await press(app, 'q');
    expect(onQuit).toHaveBeenCalledTimes(1);
  });

  it('follows the database going down and coming back (live refresh)', async () => {
    const services = fakeServices();
    const app = renderApp({ services });
    await waitForText(app, '● up');
    services.live.current = fakeInfo({ database: downDatabase, servers: [] });
    const frame = await waitForText(app, '✗ down · connect ECONNREFUSED');
    expect(frame.split('\n')[0]).toMatch(/✗ down$/);
    expect(frame).toContain('· not running');
    services.live.current = fakeInfo();
    await waitForText(app, '● gunicorn ×2 running');
  });

  it('opens a registered screen with Enter, shows where you are, and Esc goes back', async () => {
    const app = renderApp({ screens: [backup] });
    await waitForText(app, '› Backup');
    await press(app, KEY.enter);
    const frame = await waitForText(app, 'the backup screen');
    expect(frame.split('\n').at(-1)).toMatch(/^ Home › Backup +b back up · \? help · esc back · q quit$/);
    await press(app, '?');
    expect(await waitForText(app, 'Keys · Backup')).toContain('b       start a backup now');
    await press(app, KEY.esc, KEY.esc);
    expect(await waitForText(app, 'Instance')).not.toContain('the backup screen');
  });

  it('after a screen changed the instance, the title bar and Home show the new release at once', async () => {
    const services = fakeServices();
    const app = renderApp({ screens: [updating(services)], services });
    await waitForText(app, '› Update');
    await press(app, KEY.enter);
    await waitForText(app, 'ready to update');
    await press(app, 'u');
    let frame = await waitForText(app, 'update done');
    frame = await waitForFrame(app, (f) => f.split('\n')[0].includes('· 2022.03.01 (master'));
    expect(frame).toContain('update done');
    await press(app, KEY.esc);
    frame = await waitForText(app, 'Instance');
    expect(frame).toMatch(/Release +2022\.03\.01/);
  });

  it('reads notices when the instance is read whole and after a change, not at every live check', async () => {
    const services = fakeServices();
    let reads = 0;
    services.notices = async () => {
      reads += 1;
      return [{ id: 'update.unfinished', severity: 'fail', text: `update unfinished (read ${reads})` }];
    };
    const app = renderApp({ screens: [updating(services)], services });
    await waitForText(app, 'update unfinished (read 1)');
    // liveIntervalMs is 50: twenty live checks go by.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(reads).toBe(1);
    await press(app, KEY.enter);
    await waitForText(app, 'ready to update');
    await press(app, 'u');
    await waitForText(app, 'update done');
    await press(app, KEY.esc);
    expect(await waitForText(app, 'update unfinished (read 2)')).toContain('Attention');
  });

  it("Home's live line keeps its interval: back from a screen, an overdue check runs at once", async () => {
    const services = fakeServices();
    const probes: number[] = [];
    const probe = services.probe;
    services.probe = async (info) => {
      probes.push(Date.now());
      return probe(info);
    };
    const app = render(
      <App located={[located]} services={services} screens={[backup]} size={size} onQuit={() => undefined} liveIntervalMs={1000} />,
    );
    await waitForText(app, 'every 1 s');
    await press(app, KEY.enter);
    await waitForText(app, 'the backup screen');
    // Under a screen the live check runs once a minute; after 1.5 s there Home's last check is overdue.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const before = probes.length;
    await press(app, KEY.esc);
    const back = Date.now();
    await waitForText(app, 'Instance');
    await waitForFrame(app, () => probes.length > before, 2000);
    expect(probes[before] - back).toBeLessThan(500);
  });

  it('keeps q and Esc away from a busy screen', async () => {
    const onQuit = vi.fn();
    const app = renderApp({ screens: [busy], onQuit });
    await waitForText(app, '› Busy');
    await press(app, KEY.enter);
    const frame = await waitForText(app, '(busy)');
    expect(frame.split('\n').at(-1)).toMatch(/Home › Busy +\(busy\) +\? help$/);
    expect(await pressAndWait(app, 'q', KEY.esc)).toContain('dumping table treenode');
    expect(onQuit).not.toHaveBeenCalled();
  });

  it('offers a picker when several instances are configured, and opens the chosen one', async () => {
    const second: LocatedInstance = { name: 'staging', root: '/srv/staging', via: 'config' };
    const services = fakeServices();
    const discover = vi.spyOn(services, 'discover');
    const app = renderApp({ located: [{ ...located, via: 'config' }, second], services });
    const frame = await waitForText(app, 'choose an instance');
    expect(frame).toContain('› catmaid');
    expect(frame).toContain('/srv/staging');
    await press(app, 'j', KEY.enter);
    await waitForText(app, 'Instance');
    expect(discover).toHaveBeenCalledWith(second);
  });

  it('says why an instance could not be read, and r tries again', async () => {
    const services = fakeServices();
    const discover = vi.spyOn(services, 'discover').mockRejectedValueOnce(new Error('settings.py: unreadable'));
    const app = renderApp({ services });
    await waitForText(app, '✗ could not read the instance: settings.py: unreadable');
    await press(app, 'r');
    await waitForFrame(app, (frame) => frame.includes('Instance') && !frame.includes('could not read'));
    expect(discover).toHaveBeenCalledTimes(2);
  });
});
