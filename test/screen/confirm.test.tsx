import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Confirm } from '../../src/components/Confirm.js';
import { ShellContext, type ShellControl } from '../../src/hooks/shell-context.js';
import { KEY, press, waitForText, pressAndWait } from './helpers.js';

afterEach(() => cleanup());

function ask(dangerous?: { word: string }) {
  const onConfirm = vi.fn();
  const onCancel = vi.fn();
  const shell: ShellControl = {
    open: () => undefined,
    back: () => undefined,
    quit: () => undefined,
    hold: () => undefined,
    publishKeys: () => undefined,
  };
  const app = render(
    <ShellContext.Provider value={shell}>
      <Confirm message="Restore catmaid from the backup?" onConfirm={onConfirm} onCancel={onCancel} dangerous={dangerous} />
    </ShellContext.Provider>,
  );
  return { app, onConfirm, onCancel };
}

describe('Confirm', () => {
  it('starts on the safe choice: Enter alone cancels', async () => {
    const { app, onConfirm, onCancel } = ask();
    expect(await waitForText(app, 'Restore catmaid')).toContain('› No');
    await press(app, KEY.enter);
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('confirms only when the user moves to Yes (or presses y)', async () => {
    const { app, onConfirm } = ask();
    await waitForText(app, 'Restore catmaid');
    await press(app, KEY.right);
    expect(await waitForText(app, '› Yes')).not.toContain('› No');
    await press(app, KEY.enter);
    expect(onConfirm).toHaveBeenCalledTimes(1);
    await press(app, 'y');
    expect(onConfirm).toHaveBeenCalledTimes(2);
  });

  it('the dangerous form needs the exact word typed; q and y are text there, not keys', async () => {
    const { app, onConfirm, onCancel } = ask({ word: 'catmaid' });
    await waitForText(app, 'Type catmaid to confirm');
    await press(app, KEY.enter);
    expect(await waitForText(app, 'that is not "catmaid"; nothing was done')).toBeTruthy();
    await press(app, 'y', 'q', KEY.backspace, KEY.backspace, 'catmai');
    await pressAndWait(app, KEY.enter);
    expect(onConfirm).not.toHaveBeenCalled();
    await press(app, 'd');
    expect(await waitForText(app, 'to confirm: catmaid')).not.toContain('that is not');
    await press(app, KEY.enter);
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onCancel).not.toHaveBeenCalled();
  });

  it('Esc cancels the dangerous form', async () => {
    const { app, onCancel, onConfirm } = ask({ word: 'catmaid' });
    await waitForText(app, 'Type catmaid');
    await press(app, 'catmaid', KEY.esc);
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('a pasted word with its Enter in one chunk confirms; a wrong one pasted the same way does not', async () => {
    const wrong = ask({ word: 'catmaid' });
    await waitForText(wrong.app, 'Type catmaid');
    await press(wrong.app, 'catmaix\r');
    expect(await waitForText(wrong.app, 'that is not "catmaid"')).toBeTruthy();
    expect(wrong.onConfirm).not.toHaveBeenCalled();
    cleanup();
    const right = ask({ word: 'catmaid' });
    await waitForText(right.app, 'Type catmaid');
    await press(right.app, 'catmaidx\x7f\r');
    expect(right.onConfirm).toHaveBeenCalledTimes(1);
  });
});
