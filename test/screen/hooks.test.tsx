import { Text, useInput } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { useEffect, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogPane } from '../../src/components/LogPane.js';
import { Spinner } from '../../src/components/Spinner.js';
import { ShellContext, type ShellControl } from '../../src/hooks/shell-context.js';
import { usePoll } from '../../src/hooks/usePoll.js';
import { useTask, type TaskContext } from '../../src/hooks/useTask.js';
import { press, pressAndWait, waitForFrame, waitForQuiet, waitForText } from './helpers.js';

afterEach(() => cleanup());

function Poller({ paused, onTick }: { paused: boolean; onTick: () => void }) {
  const [ticks, setTicks] = useState(0);
  usePoll(() => {
    onTick();
    setTicks((n) => n + 1);
  }, 20, { paused });
  return <Text>ticks {ticks}</Text>;
}

describe('usePoll', () => {
  it('runs repeatedly, stops while paused and after unmount', async () => {
    let calls = 0;
    const app = render(<Poller paused={false} onTick={() => (calls += 1)} />);
    await waitForText(app, 'ticks 3');
    app.rerender(<Poller paused onTick={() => (calls += 1)} />);
    const paused = calls;
    // That nothing happens can only be seen by letting time pass: ten intervals without a tick.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toBe(paused);
    app.unmount();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBe(paused);
  });
});

/** Records when each run starts; each run takes `runMs` (on the same fake clock). */
function TimedPoller({ intervalMs, runMs, starts }: { intervalMs: number; runMs: number; starts: number[] }) {
  usePoll(async () => {
    starts.push(Date.now());
    await new Promise((resolve) => setTimeout(resolve, runMs));
  }, intervalMs);
  return <Text>polling every {intervalMs} ms</Text>;
}

describe('usePoll keeps the interval it promises', () => {
  afterEach(() => vi.useRealTimers());
  const fake = () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(0);
  };

  it('counts from start to start: a run of 300 ms does not stretch "every 1 s" to 1.3 s', async () => {
    fake();
    const starts: number[] = [];
    render(<TimedPoller intervalMs={1000} runMs={300} starts={starts} />);
    await vi.advanceTimersByTimeAsync(5050);
    expect(starts).toEqual([1000, 2000, 3000, 4000, 5000]);
  });

  it('back to a short interval after a long one, a run that is overdue starts at once', async () => {
    fake();
    const starts: number[] = [];
    const app = render(<TimedPoller intervalMs={1000} runMs={10} starts={starts} />);
    await vi.advanceTimersByTimeAsync(1500);
    // Under another screen Home's live check runs once a minute; 30 s later Home is shown again.
    app.rerender(<TimedPoller intervalMs={60_000} runMs={10} starts={starts} />);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(starts).toEqual([1000]);
    app.rerender(<TimedPoller intervalMs={1000} runMs={10} starts={starts} />);
    await vi.advanceTimersByTimeAsync(1100);
    expect(starts).toEqual([1000, 31_500, 32_500]);
  });
});

/** A task the test drives by hand: each `step` resolves with the next event or the end. */
function makeTask() {
  let finish: (value: string) => void = () => undefined;
  let context: TaskContext | undefined;
  const run = (ctx: TaskContext, label: string) => {
    context = ctx;
    ctx.emit({ type: 'log', file: '/var/log/catmaid-tui/backup.log' });
    ctx.emit({ type: 'line', text: `starting ${label}` });
    return new Promise<string>((resolve, reject) => {
      finish = resolve;
      ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
    });
  };
  return { run, emit: (text: string) => context?.emit({ type: 'line', text }), finish: (v: string) => finish(v) };
}

function TaskScreen({ task, autoStart }: { task: ReturnType<typeof makeTask>; autoStart: boolean }) {
  const { state, start, cancel } = useTask(task.run);
  useEffect(() => {
    if (autoStart) start('backup');
  }, [autoStart, start]);
  useEffect(() => {
    if (state.lines.includes('cancel please')) cancel();
  }, [state.lines, cancel]);
  return (
    <>
      <Text>status {state.status}{state.result ? ` → ${state.result}` : ''}</Text>
      <LogPane lines={state.lines} logFile={state.logFile} width={60} height={6} />
    </>
  );
}

describe('useTask', () => {
  it('turns task events into state, holds the shell busy while it runs, and ends with the result', async () => {
    const holds: string[] = [];
    const shell: ShellControl = {
      open: () => undefined,
      back: () => undefined,
      quit: () => undefined,
      hold: (kind, on) => holds.push(`${kind}:${on ? 'on' : 'off'}`),
      publishKeys: () => undefined,
    };
    const task = makeTask();
    const app = render(
      <ShellContext.Provider value={shell}>
        <TaskScreen task={task} autoStart />
      </ShellContext.Provider>,
    );
    let frame = await waitForText(app, 'starting backup');
    expect(frame).toContain('status running');
    expect(frame).toContain('log: /var/log/catmaid-tui/backup.log');
    expect(holds).toEqual(['busy:on']);
    task.emit('dumping table treenode');
    await waitForText(app, 'dumping table treenode');
    task.finish('61 MB');
    frame = await waitForText(app, 'status done → 61 MB');
    expect(holds).toEqual(['busy:on', 'busy:off']);
  });

  it('cancels through the abort signal', async () => {
    const task = makeTask();
    const app = render(<TaskScreen task={task} autoStart />);
    await waitForText(app, 'status running');
    task.emit('cancel please');
    await waitForText(app, 'status cancelled');
  });
});

describe('Spinner and LogPane', () => {
  it('show that work is going on, and an empty log says so', async () => {
    const app = render(
      <>
        <Spinner label="rebuilding treenode_edge" />
        <LogPane lines={[]} width={40} height={4} />
      </>,
    );
    const frame = await waitForFrame(app, (f) => f.includes('rebuilding treenode_edge') && f.includes('(no output yet)'));
    expect(frame).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] rebuilding treenode_edge/);
  });
});

/** Shows BOOM a moment after x is pressed, as a screen does after a quick task. */
function LateReaction() {
  const [boom, setBoom] = useState(false);
  useInput((input) => {
    if (input === 'x') setTimeout(() => setBoom(true), 40);
  });
  return <Text>{boom ? 'BOOM' : 'calm'}</Text>;
}

describe('negative checks after a key', () => {
  it('pressAndWait returns the frame the key leads to, where the frame right after the key still shows the old state', async () => {
    const app = render(<LateReaction />);
    await waitForText(app, 'calm');
    await press(app, 'x');
    // What a bare check would see: the key's effect has not been drawn yet, so "no BOOM" would pass wrongly.
    expect(app.lastFrame()).toBe('calm');
    expect(await waitForQuiet(app)).toBe('BOOM');
    const again = render(<LateReaction />);
    await waitForText(again, 'calm');
    expect(await pressAndWait(again, 'x')).toBe('BOOM');
  });
});
