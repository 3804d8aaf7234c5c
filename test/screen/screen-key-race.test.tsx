import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extensionServices, type ExtensionServices } from '../../src/hooks/useExtensions.js';
import { Extensions } from '../../src/screens/Extensions.js';
import { Monitor } from '../../src/screens/Monitor.js';
import type { ScreenDef } from '../../src/screens/registry.js';
import { scripted } from './monitor-fakes.js';
import { fakeInfo, KEY, settle, waitForFrame, waitForText } from './helpers.js';
import { burst, wizard as wizardOf } from './race-helpers.js';

/**
 * The key that opens a field or a question, and the keys after it, written without a render in between (tmux
 * send-keys, a paste, an admin typing fast over SSH): they belong to what that key opened, never to the old mode
 * or to the shell (q quit, ? help, Esc back).
 */
afterEach(() => cleanup());

const listed = fakeInfo();
listed.settings.settings.staticExtensionFiles = ['tracing-tools.js'];
const wizard = (screen: ScreenDef) => wizardOf(screen, listed);

/** The extension list from memory: one listed file, nothing is ever changed. */
const extensions: ExtensionServices = {
  ...extensionServices,
  list: async () => ({ url: '/staticext/', root: '/srv/catmaid/django/staticext', isList: true, unlisted: [],
    files: [{ name: 'tracing-tools.js', present: true, size: 120 }] }),
  add: () => Promise.reject(new Error('not in this test')),
  remove: () => Promise.reject(new Error('not in this test')),
};

const extensionsScreen: ScreenDef = { id: 'extensions', title: 'Custom front-end code', menuLabel: 'Custom front-end code', keys: [],
  component: (props) => <Extensions {...props} services={extensions} /> };

describe('Extensions: keys right after a', () => {
  it('a path typed right after a goes into the field; its q does not quit', async () => {
    const { app, quit } = wizard(extensionsScreen);
    await waitForText(app, 'tracing-tools.js');
    burst(app, 'a', '/srv/quokka.js');
    await waitForText(app, 'File to add: /srv/quokka.js');
    expect(quit).not.toHaveBeenCalled();
  });

  it('in one chunk too; Esc right after the path cancels the field, not the screen', async () => {
    const { app, quit } = wizard(extensionsScreen);
    await waitForText(app, 'tracing-tools.js');
    burst(app, 'a/srv/jquery.js?');
    const frame = await waitForText(app, 'File to add: /srv/jquery.js?');
    expect(frame).not.toContain('Keys ·');
    burst(app, KEY.esc);
    await waitForFrame(app, (f) => !f.includes('File to add') && f.includes('tracing-tools.js'));
    burst(app, 'a', '/srv/q.js', KEY.esc);
    // ink holds a lone Esc until its input is read (it may start a sequence); then a opens the field again, which
    // it would not on Home, where Esc going back would have led.
    await settle();
    burst(app, 'a', 'z');
    await waitForText(app, 'File to add: z');
    expect(quit).not.toHaveBeenCalled();
  });
});

describe('Confirm: keys right after the typed-word question appears', () => {
  it('? and the word go into the word, not to the help', async () => {
    const { app } = wizard(extensionsScreen);
    await waitForText(app, 'tracing-tools.js');
    burst(app, 'x', '?');
    const frame = await waitForText(app, 'to confirm: ?');
    expect(frame).not.toContain('Keys ·');
  });

  it('Esc right after it cancels the question and stays on the screen', async () => {
    const { app } = wizard(extensionsScreen);
    await waitForText(app, 'tracing-tools.js');
    burst(app, 'x', KEY.esc);
    const frame = await waitForText(app, 'nothing was removed');
    expect(frame).toContain('tracing-tools.js');
  });

  it('a Yes/No question keeps its keys after the help it let through was closed', async () => {
    const { app } = wizard(extensionsScreen);
    await waitForText(app, 'tracing-tools.js');
    burst(app, 'd', '?');
    await waitForText(app, 'Keys ·');
    burst(app, KEY.esc);
    await waitForText(app, 'the file stays in the folder');
    burst(app, 'n');
    await waitForText(app, 'nothing was removed');
  });

  it('the word typed in the same chunk as x is kept', async () => {
    const { app } = wizard(extensionsScreen);
    await waitForText(app, 'tracing-tools.js');
    burst(app, 'xtracing-tools.js');
    await waitForText(app, 'to confirm: tracing-tools.js');
  });
});

describe('Monitor: keys right after /', () => {
  const monitorScreen: ScreenDef = { id: 'monitor', title: 'Monitor', menuLabel: 'Monitor', keys: [],
    component: (props) => <Monitor {...props} source={() => scripted().source} intervalMs={500} /> };

  it('/ then q types q into the filter; after ⏎ kept it, q quits', async () => {
    const { app, quit } = wizard(monitorScreen);
    await waitForText(app, '40100');
    burst(app, '/', 'q');
    await waitForText(app, 'filter: q▏');
    expect(quit).not.toHaveBeenCalled();
    burst(app, '\rq');
    await vi.waitFor(() => expect(quit).toHaveBeenCalledTimes(1));
  });

  it('/ with ? in one chunk: the ? is filter text, no help', async () => {
    const { app } = wizard(monitorScreen);
    await waitForText(app, '40100');
    burst(app, '/?');
    const frame = await waitForFrame(app, (f) => f.includes('filter: ?'));
    expect(frame).not.toContain('Keys ·');
  });
});
