import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/app.js';
import { sslServices } from '../../src/hooks/useSsl.js';
import { Backup } from '../../src/screens/Backup.js';
import type { ScreenDef } from '../../src/screens/registry.js';
import { Ssl } from '../../src/screens/Ssl.js';
import { fakeBackupServices, info as backupInfo } from './backup-fakes.js';
import { fakeInfo, fakeServices, KEY, located, press, waitForFrame, waitForText } from './helpers.js';
import { burst } from './race-helpers.js';

/**
 * Keys that follow ⏎ on a form before React has drawn (tmux send-keys right after Enter, an admin typing fast over
 * SSH, a paste) are routed by the mode that ⏎ produced: nothing is written between the keys, no frame is awaited.
 */
afterEach(() => cleanup());

// No nginx is needed to fill the form; the plan is never asked for here.
const services = { ...sslServices, nginx: () => undefined };

describe('keys right after ⏎ on a form', () => {
  it('SSL: the path, the next field and its path land where they belong', async () => {
    const app = render(<Ssl info={fakeInfo()} active width={100} height={30} services={services} />);
    await waitForText(app, 'Server name');
    await press(app, KEY.down, ' ');
    await waitForText(app, '‹ from files ›');
    await press(app, KEY.down);
    await waitForText(app, '› Certificate file');
    burst(app, KEY.enter, '/srv/ssl/chain.crt\r', KEY.down, KEY.enter, '/srv/ssl/leaf.key', KEY.enter, KEY.down);
    const frame = await waitForFrame(app, (f) => f.includes('› Upstream'));
    expect(frame).toMatch(/Certificate file +\/srv\/ssl\/chain\.crt\n/);
    expect(frame).toMatch(/Key file +\/srv\/ssl\/leaf\.key\n/);
    expect(frame).not.toContain('▏');
  });

  it('SSL: ⏎ and the next keys in one chunk (tmux send-keys Enter Down) are taken key by key', async () => {
    const app = render(<Ssl info={fakeInfo()} active width={100} height={30} services={services} />);
    await waitForText(app, 'Server name');
    burst(app, '\r', '\x7f'.repeat(20), 'catmaid.example.org\r\x1b[B');
    const frame = await waitForFrame(app, (f) => f.includes('› Certificate  '));
    expect(frame).toMatch(/Server name +catmaid\.example\.org\n/);
  });

  it('the shell: a q typed right after ⏎ opened a field is text, not quit', async () => {
    const quit = vi.fn();
    const ssl: ScreenDef = { id: 'ssl', title: 'SSL setup', menuLabel: 'SSL setup', keys: [], component: (props) => <Ssl {...props} services={services} /> };
    const app = render(
      <App located={[located]} services={fakeServices()} screens={[ssl]} size={{ columns: 100, rows: 30 }} onQuit={quit} initialScreen="ssl" liveIntervalMs={50} />,
    );
    await waitForText(app, '› Server name');
    burst(app, KEY.enter, '\x7f'.repeat(20), 'quokka.example.org?\r', KEY.down);
    const frame = await waitForFrame(app, (f) => f.includes('› Certificate  '));
    expect(frame).toMatch(/Server name +quokka\.example\.org\?\n/);
    expect(quit).not.toHaveBeenCalled();
    // After ⏎ kept the field, q is the shell's again.
    burst(app, KEY.up, KEY.enter, 'x', KEY.enter, 'q');
    await vi.waitFor(() => expect(quit).toHaveBeenCalledTimes(1));
  });

  it('Backup: the number and the choice after it', async () => {
    const app = render(<Backup info={backupInfo} active width={100} height={27} services={fakeBackupServices()} />);
    await waitForText(app, '/var/backups/catmaid');
    await press(app, KEY.up);
    await waitForText(app, '› Keep newest');
    burst(app, KEY.enter, '3\r', KEY.up, ' ');
    const frame = await waitForFrame(app, (f) => f.includes('‹ included ›'));
    expect(frame).toMatch(/Keep newest +3  then delete/);
    expect(frame).toMatch(/› Edge table/);
  });
});
