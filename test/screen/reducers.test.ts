import { describe, expect, it } from 'vitest';
import { confirmOutcome, confirmReducer, initialConfirm } from '../../src/components/confirm-state.js';
import { formatBytes } from '../../src/tasks/bytes.js';
import { formatServers } from '../../src/components/format.js';
import { moveSelection, visibleWindow } from '../../src/components/menu-state.js';
import { sparkline } from '../../src/components/Sparkline.js';
import { layoutTable } from '../../src/components/table-layout.js';
import { colourEnabled, truncate } from '../../src/components/theme.js';
import { titleText } from '../../src/components/TitleBar.js';
import { instanceReducer } from '../../src/hooks/instance-state.js';
import { hintLine, keyName, keyNames, listKeys } from '../../src/hooks/keymap.js';
import { initialShell, shellDecision, shellReducer, type ShellState } from '../../src/hooks/shell-state.js';
import { idleTask, MAX_TASK_LINES, progressFraction, taskReducer } from '../../src/hooks/task-state.js';
import { downDatabase, fakeInfo } from './helpers.js';

const noKey = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

describe('shell state', () => {
  const open = (state: ShellState, id: string) => shellReducer(state, { type: 'open', id });

  it('stacks screens and goes back, never past Home', () => {
    let state = open(initialShell(), 'backup');
    state = open(state, 'restore');
    expect(state.stack).toEqual(['home', 'backup', 'restore']);
    state = shellReducer(shellReducer(shellReducer(state, { type: 'back' }), { type: 'back' }), { type: 'back' });
    expect(state.stack).toEqual(['home']);
  });

  it('decides what ?, Esc and q do: help first, busy screens keep q and Esc, typing keeps everything', () => {
    const home = initialShell();
    expect(shellDecision(home, 'q')).toBe('quit');
    expect(shellDecision(home, 'esc')).toBeUndefined();
    expect(shellDecision(home, '?')).toBe('toggle-help');
    expect(shellDecision(home, 'j')).toBeUndefined();
    const help = shellReducer(home, { type: 'toggle-help' });
    expect(shellDecision(help, 'esc')).toBe('close-help');
    expect(shellDecision(help, '?')).toBe('close-help');
    const busy = shellReducer(open(home, 'backup'), { type: 'hold', kind: 'busy', on: true });
    expect(shellDecision(busy, 'q')).toBeUndefined();
    expect(shellDecision(busy, 'esc')).toBeUndefined();
    expect(shellDecision(busy, '?')).toBe('toggle-help');
    const idle = shellReducer(busy, { type: 'hold', kind: 'busy', on: false });
    expect(shellDecision(idle, 'q')).toBe('quit');
    expect(shellDecision(idle, 'esc')).toBe('back');
    expect(['q', '?', 'esc'].map((k) => shellDecision(idle, k, 'typing'))).toEqual([undefined, undefined, undefined]);
    expect(['q', '?', 'esc'].map((k) => shellDecision(idle, k, 'busy'))).toEqual([undefined, 'toggle-help', undefined]);
  });
});

describe('key maps', () => {
  it('name keys the same however ink reports them', () => {
    expect(keyName('', { ...noKey, upArrow: true })).toBe('up');
    expect(keyName('', { ...noKey, return: true })).toBe('enter');
    expect(keyName('', { ...noKey, escape: true, meta: true })).toBe('esc');
    expect(keyName('c', { ...noKey, ctrl: true })).toBe('ctrl+c');
    expect(keyName(' ', noKey)).toBe('space');
    expect(keyName('j', noKey)).toBe('j');
  });

  it('split a chunk of plain keys but keep escape sequences whole', () => {
    expect(keyNames('j\r', noKey)).toEqual(['j', 'enter']);
    expect(keyNames('q', noKey)).toEqual(['q']);
    expect(keyNames('', { ...noKey, downArrow: true })).toEqual(['down']);
  });

  it('give the status bar only the bindings that have a hint', () => {
    expect(hintLine(listKeys)).toBe('↑↓ move');
  });
});

describe('lists', () => {
  it('move within bounds without wrapping', () => {
    expect(moveSelection(0, 3, 'up')).toBe(0);
    expect(moveSelection(2, 3, 'down')).toBe(2);
    expect(moveSelection(1, 3, 'last')).toBe(2);
    expect(moveSelection(5, 0, 'down')).toBe(0);
  });

  it('scroll so the selected row stays visible', () => {
    expect(visibleWindow(0, 3, 10)).toEqual({ start: 0, end: 3 });
    expect(visibleWindow(50, 100, 10)).toEqual({ start: 45, end: 55 });
    expect(visibleWindow(99, 100, 10)).toEqual({ start: 90, end: 100 });
  });
});

describe('confirm state', () => {
  it('starts on the safe choice and needs the exact word in the dangerous form', () => {
    const start = initialConfirm();
    expect(confirmOutcome(start)).toBe('cancel');
    expect(confirmOutcome(confirmReducer(start, { type: 'toggle' }))).toBe('confirm');
    const typed = confirmReducer(start, { type: 'type', text: 'catmaid\u0007' });
    expect(typed.typed).toBe('catmaid');
    expect(confirmOutcome(typed, 'catmaid')).toBe('confirm');
    expect(confirmOutcome(confirmReducer(typed, { type: 'erase' }), 'catmaid')).toBe('mismatch');
    expect(confirmOutcome(confirmReducer(start, { type: 'toggle' }), 'catmaid')).toBe('mismatch');
  });
});

describe('task state', () => {
  it('collects lines (split, capped), progress and the log file while running', () => {
    let state = taskReducer(idleTask<number>(), { type: 'start', at: 1 });
    state = taskReducer(state, { type: 'event', event: { type: 'line', text: 'one\ntwo\n' } });
    state = taskReducer(state, { type: 'event', event: { type: 'progress', done: 25, total: 100, label: 'treenode' } });
    state = taskReducer(state, { type: 'event', event: { type: 'log', file: '/tmp/x.log' } });
    expect(state.lines).toEqual(['one', 'two']);
    expect(progressFraction(state.progress)).toBe(0.25);
    expect(state.logFile).toBe('/tmp/x.log');
    for (let i = 0; i < MAX_TASK_LINES + 5; i += 1) {
      state = taskReducer(state, { type: 'event', event: { type: 'line', text: `l${i}` } });
    }
    expect(state.lines).toHaveLength(MAX_TASK_LINES);
    expect(state.lines.at(-1)).toBe(`l${MAX_TASK_LINES + 4}`);
    const done = taskReducer(state, { type: 'done', result: 7, at: 2 });
    expect(done).toMatchObject({ status: 'done', result: 7, endedAt: 2 });
    expect(taskReducer(done, { type: 'failed', error: 'late', at: 3 })).toBe(done);
  });
});

describe('instance state', () => {
  it('merges the live part into a loaded instance and ignores it before', () => {
    const live = { database: downDatabase, servers: [] };
    expect(instanceReducer({ status: 'loading' }, { type: 'live', live, at: 1 })).toEqual({ status: 'loading' });
    const ready = instanceReducer({ status: 'loading' }, { type: 'loaded', info: fakeInfo(), at: 1 });
    const after = instanceReducer(ready, { type: 'live', live, at: 2 });
    expect(after).toMatchObject({ status: 'ready', checkedAt: 2, info: { database: downDatabase, servers: [] } });
  });
});

describe('formatting', () => {
  it('fits the title bar: program name first to go, then the root from its start', () => {
    const info = fakeInfo();
    expect(titleText(info, 120)).toBe(
      'catmaid-tui · /srv/catmaid · 2021.12.21-4-g3f2a9c1 (master @ 3f2a9c1) · db catmaid@127.0.0.1:5432 ',
    );
    expect(titleText(info, 100)).toMatch(/^\/srv\/catmaid · /);
    const deep = fakeInfo({ layout: { ...info.layout, root: '/home/someone/instances/production/catmaid' } });
    const text = titleText(deep, 100);
    expect(text.length).toBeLessThanOrEqual(94);
    expect(text).toMatch(/^….*\/catmaid · 2021\.12\.21-4-g3f2a9c1/);
  });

  it('draws sparklines, sizes, servers and cut text', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, 5, 5], 2)).toBe('██');
    expect(sparkline([0, 0], 2)).toBe('▁▁');
    expect(sparkline([1, 2, 3], 10, { max: 6 })).toHaveLength(3);
    expect(formatBytes(412 * 1024 ** 2)).toBe('412 MB');
    expect(formatBytes(1.2 * 1024 ** 3)).toBe('1.2 GB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatServers(fakeInfo().servers)).toBe('gunicorn ×2');
    expect(truncate('/srv/catmaid', 8, 'start')).toBe('…catmaid');
    expect(truncate('abcdef', 4)).toBe('abc…');
  });

  it('lays out tables in the width given, cutting long cells with …', () => {
    const rows = [{ pid: 40211, query: 'SELECT t.id, t.parent_id FROM treenode t WHERE t.project_id = 1' }];
    const { header, lines } = layoutTable(
      [
        { header: 'PID', width: 6, align: 'right', value: (r: (typeof rows)[0]) => String(r.pid) },
        { header: 'QUERY', value: (r: (typeof rows)[0]) => r.query },
      ],
      rows,
      30,
    );
    expect(header).toBe('   PID QUERY');
    expect(lines[0]).toBe(' 40211 SELECT t.id, t.parent_…');
    expect(lines[0]).toHaveLength(30);
  });

  it('turns colour off for NO_COLOR and FORCE_COLOR=0', () => {
    expect(colourEnabled({})).toBe(true);
    expect(colourEnabled({ NO_COLOR: '' })).toBe(false);
    expect(colourEnabled({ FORCE_COLOR: '0' })).toBe(false);
  });
});
