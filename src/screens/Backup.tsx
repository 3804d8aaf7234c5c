import { Box, Text } from 'ink';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Badge } from '../components/Badge.js';
import { Confirm } from '../components/Confirm.js';
import { truncate } from '../components/theme.js';
import { useScreenKeys } from '../hooks/shell-context.js';
import { useBackup, type BackupRequest, type BackupServices } from '../hooks/useBackup.js';
import { useCurrentReducer, useCurrentValue } from '../hooks/useCurrentReducer.js';
import { useFormInput } from '../hooks/useFormInput.js';
import type { BackupFormat } from '../tasks/backup/naming.js';
import { BackupRunView } from './backup/BackupRunView.js';
import { OverviewView } from './backup/OverviewView.js';
import { backupEndKeys, backupFormKeys, backupRunningKeys, editKeys, type BackupAction } from './backup/keys.js';
import { formReducer, initialForm, readCount, type FieldSpec } from './backup/form-state.js';
import { FormView } from './backup/FormView.js';
import type { ScreenProps } from './registry.js';

export interface BackupProps extends ScreenProps {
  /** Screen tests pass fake tasks; the app uses the real ones. */
  services?: BackupServices;
}

const EDGE_OUT = 'left out (rebuilt after a restore)';
const EDGE_IN = 'included';
const FORMAT_NOTE: Record<string, string> = {
  sql: "plain SQL, as in CATMAID's administration manual; restored with psql",
  custom: 'pg_dump -Fc archive; restored with pg_restore',
  directory: 'pg_dump -Fd folder; the only one that dumps in parallel',
};

function fieldsFor(format: string): FieldSpec[] {
  return [
    { id: 'folder', label: 'Folder', kind: 'text' },
    { id: 'format', label: 'Format', kind: 'choice', choices: ['sql', 'custom', 'directory'] },
    ...(format === 'directory' ? [{ id: 'jobs', label: 'Jobs', kind: 'text' as const, placeholder: '1' }] : []),
    { id: 'edge', label: 'Edge table', kind: 'choice', choices: [EDGE_OUT, EDGE_IN] },
    { id: 'keep', label: 'Keep newest', kind: 'text', placeholder: '(keep all)' },
    { id: 'start', label: 'Start the backup', kind: 'action' },
  ];
}

/** The form's values as the task's options, or what is wrong with them. */
export function backupRequest(values: Record<string, string>): BackupRequest | string {
  if (!values.folder) return 'fill in the backup folder';
  const format = values.format as BackupFormat;
  const jobs = format === 'directory' ? readCount(values.jobs ?? '', 'jobs', 1) : { value: 1 };
  if (jobs.problem) return jobs.problem;
  const keep = readCount(values.keep ?? '', 'keep', null);
  if (keep.problem) return keep.problem;
  return { folder: values.folder, format, jobs: jobs.value ?? 1, withEdgeTable: values.edge === EDGE_IN, keep: keep.value ?? undefined };
}

/** Backup: the form (folder, format, jobs, edge table, keep), the run with live progress, the verified result. */
export function Backup({ info, active, width, height, services }: BackupProps) {
  const { folder, running, progress, overview } = useBackup(info, services);
  const [form, dispatch, current] = useCurrentReducer(formReducer, { folder: '', format: 'sql', jobs: '', edge: EDGE_OUT, keep: '' }, (v) => initialForm(v, 'start'));
  const [stage, setStage] = useState<'form' | 'run'>('form');
  const [asking, setAsking, askingNow] = useCurrentValue(false);
  const editing = form.draft !== undefined;
  const status = running.state.status;
  const fields = useMemo(() => fieldsFor(form.values.format), [form.values.format]);
  const db = info.settings.settings.database;

  useEffect(() => {
    if (folder.dir && !form.values.folder) dispatch({ type: 'set', id: 'folder', value: folder.dir });
  }, [folder.dir]); // eslint-disable-line react-hooks/exhaustive-deps

  const start = useCallback(() => {
    const request = backupRequest(current().values);
    if (typeof request === 'string') return dispatch({ type: 'error', text: request });
    dispatch({ type: 'error', text: undefined });
    setStage('run');
    running.start(request);
  }, [current, dispatch, running]);

  const bindings = stage === 'form' ? backupFormKeys : status === 'running' ? backupRunningKeys : backupEndKeys;
  useScreenKeys(editing ? editKeys : asking ? [] : bindings);

  const onAction = useCallback(
    (action: BackupAction) => {
      // The fields as the newest state has them: a key right after another (format → jobs) must see its change.
      const { values, focus } = current();
      const fields = fieldsFor(values.format);
      const field = fields.find((f) => f.id === focus);
      if (action === 'up' || action === 'down') dispatch({ type: 'move', by: action === 'up' ? -1 : 1, fields });
      else if ((action === 'next' || action === 'previous') && field?.kind === 'choice') dispatch({ type: 'cycle', field, by: action === 'next' ? 1 : -1 });
      else if (action === 'enter' && field?.kind === 'text') dispatch({ type: 'edit' });
      else if (action === 'enter' && field?.kind === 'choice') dispatch({ type: 'cycle', field, by: 1 });
      else if (action === 'start' || (action === 'enter' && field?.kind === 'action')) start();
      else if (action === 'stop') setAsking(true);
      else if (action === 'again') setStage('form');
    },
    [current, dispatch, start],
  );
  useFormInput({ form: current, field: dispatch, bindings: asking ? [] : bindings, onAction, asking: askingNow }, active);

  const inner = width - 2;
  if (stage === 'form') {
    const notes: Record<string, string> = { format: FORMAT_NOTE[form.values.format], jobs: 'parallel pg_dump workers', keep: 'then delete older verified backups of this database' };
    if (folder.error) notes.folder = `! ${folder.error}`;
    return (
      <Box flexDirection="column" width={width} height={height} paddingX={1}>
        <Text bold wrap="truncate">{`Backup · database ${db.name}@${db.host || 'local socket'}:${db.port}`}</Text>
        <Text dimColor wrap="truncate">Written as .partial, verified, made private (0600), then renamed; a manifest goes next to it.</Text>
        <Text> </Text>
        <FormView form={form} fields={fields} width={inner} notes={notes} />
        {form.error ? <Badge kind="fail">{truncate(form.error, inner - 2)}</Badge> : <Text> </Text>}
        <Text dimColor wrap="truncate">{`── Scheduled backups ${'─'.repeat(Math.max(0, inner - 21))}`}</Text>
        <OverviewView overview={overview.value} error={overview.error} width={inner} height={height - fields.length - 6} />
      </Box>
    );
  }

  const file = progress.file ?? form.values.folder;
  const footer = asking ? (
    <Confirm
      message="Stop the backup? The unfinished dump is removed; nothing is left behind."
      yesLabel="Yes, stop it"
      onCancel={() => setAsking(false)}
      onConfirm={() => {
        setAsking(false);
        running.cancel();
      }}
      isActive={active}
    />
  ) : status === 'failed' ? (
    <Badge kind="fail">{truncate(`backup failed: ${running.state.error ?? ''}`, inner - 2)}</Badge>
  ) : status === 'cancelled' ? (
    <Badge kind="warn">stopped: the unfinished dump was removed, nothing was left behind</Badge>
  ) : null;
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Text bold wrap="truncate">{`Backup · ${db.name} → ${truncate(file, inner - db.name.length - 12, 'start')}`}</Text>
      <BackupRunView
        progress={progress}
        lines={running.state.lines}
        logFile={running.state.logFile}
        startedAt={running.state.startedAt}
        footer={footer}
        footerHeight={asking ? 4 : 1}
        width={inner}
        height={height - 1}
      />
    </Box>
  );
}

