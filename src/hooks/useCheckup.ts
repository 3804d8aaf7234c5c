import fs from 'node:fs/promises';
import path from 'node:path';
import { useCallback, useEffect, useState } from 'react';
import { applyFix, type ApplyResult } from '../tasks/checkup/apply.js';
import { toMarkdown } from '../tasks/checkup/report.js';
import { runCheckup, type CheckupOptions } from '../tasks/checkup/run.js';
import type { Check, CheckupReport } from '../tasks/checkup/types.js';
import { writeFileAtomic, fileStamp } from '../tasks/atomic-write.js';
import type { InstanceInfo } from '../tasks/instance/types.js';
import { stateHome } from '../tasks/paths.js';
import { useTask } from './useTask.js';

/** What the Checkup screen runs: the real tasks; tests change the sampling window or the export folder. */
export interface CheckupServices {
  options: CheckupOptions;
  exportDir: () => string;
}

export const checkupServices: CheckupServices = {
  options: {},
  exportDir: () => path.join(stateHome(), 'catmaid-tui', 'reports'),
};

/** Run the checkup (with the live connection series), apply one fix, export the report as Markdown. */
export function useCheckup(info: InstanceInfo, services: CheckupServices = checkupServices) {
  const [series, setSeries] = useState<number[]>([]);
  const [exported, setExported] = useState<string | undefined>();
  const run = useTask<CheckupReport, [boolean]>(async (ctx, reread) => {
    setSeries([]);
    return runCheckup(info, {
      ...services.options,
      rereadSettings: reread,
      signal: ctx.signal,
      onSample: (values) => setSeries(values),
    });
  });
  const apply = useTask<ApplyResult, [Check]>(async (_ctx, check) => applyFix(info, check));
  const { start } = run;

  useEffect(() => {
    start(false);
  }, [start]);

  // After a fix the checkup runs again, reading settings.py anew, so the list shows the result.
  useEffect(() => {
    if (apply.state.status === 'done') start(true);
  }, [apply.state.status, start]);

  const exportReport = useCallback(async (report: CheckupReport) => {
    const dir = services.exportDir();
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, `checkup-${report.instance}-${fileStamp()}.md`);
    await writeFileAtomic(file, toMarkdown(report));
    setExported(file);
  }, [services]);

  return { run, apply, series, exported, exportReport };
}
