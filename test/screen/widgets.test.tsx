import { Box } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { ProgressBar, progressBar } from '../../src/components/ProgressBar.js';
import { Sparkline } from '../../src/components/Sparkline.js';
import { Table } from '../../src/components/Table.js';
import { waitForText } from './helpers.js';

afterEach(() => cleanup());

interface Conn {
  pid: number;
  state: string;
  query: string;
}

const conns: Conn[] = [
  { pid: 40211, state: 'active', query: 'SELECT t.id, t.parent_id FROM treenode t WHERE t.project_id = 1' },
  { pid: 40187, state: 'idle in transaction', query: 'UPDATE treenode SET location_x = 1' },
];

describe('widgets a monitor or backup screen is built from', () => {
  it('a table longer than its height shows the rows around the selected one and says how many are out of view', async () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ pid: 100 + i, state: 'idle', query: `SELECT ${i}` }));
    const table = (selected: number) => (
      <Table columns={[{ header: 'PID', width: 6, value: (c: Conn) => String(c.pid) }]} rows={many} width={40} height={5} selected={selected} rowKey={(c) => String(c.pid)} />
    );
    const app = render(table(0));
    let lines = (await waitForText(app, 'more')).split('\n');
    expect(lines).toEqual(['  PID', '› 100', '  101', '  102', '↓ 7 more']);
    app.rerender(table(5));
    lines = (await waitForText(app, '↑')).split('\n');
    expect(lines).toEqual(['  PID', '  104', '› 105', '  106', '↑ 4 more · ↓ 3 more']);
    app.rerender(table(9));
    lines = (await waitForText(app, '↑ 7 more')).split('\n');
    expect(lines).toEqual(['  PID', '  107', '  108', '› 109', '↑ 7 more']);
  });

  it('a table marks the selected row with › and cuts long cells to the width', async () => {
    const app = render(
      <Table
        columns={[
          { header: 'PID', width: 6, align: 'right', value: (c: Conn) => String(c.pid) },
          { header: 'STATE', width: 12, value: (c: Conn) => c.state },
          { header: 'QUERY', value: (c: Conn) => c.query },
        ]}
        rows={conns}
        width={50}
        selected={1}
        rowKey={(c) => String(c.pid)}
      />,
    );
    const frame = await waitForText(app, 'PID');
    const lines = frame.split('\n');
    expect(lines[0]).toBe('     PID STATE        QUERY');
    expect(lines[1]).toBe('   40211 active       SELECT t.id, t.parent_id FR…');
    expect(lines[1]).toHaveLength(50);
    expect(lines[2]).toBe('›  40187 idle in tra… UPDATE treenode SET locatio…');
  });

  it('a progress bar says the percentage, a sparkline draws the history', async () => {
    expect(progressBar(0.63, 10)).toBe('██████░░░░  63%');
    expect(progressBar(2, 4)).toBe('████ 100%');
    const app = render(
      <Box flexDirection="column">
        <ProgressBar fraction={0.5} width={8} label="259 MB of ~412 MB" />
        <Sparkline values={[1, 2, 3, 4]} width={6} />
      </Box>,
    );
    const frame = await waitForText(app, '259 MB');
    expect(frame).toContain('████░░░░  50%  259 MB of ~412 MB');
    expect(frame).toContain('▃▅▆█');
  });
});
