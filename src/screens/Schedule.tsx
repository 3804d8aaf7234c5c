import { Box, Text } from 'ink';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Badge } from '../components/Badge.js';
import { Confirm } from '../components/Confirm.js';
import { Panel } from '../components/Panel.js';
import { Spinner } from '../components/Spinner.js';
import { truncate } from '../components/theme.js';
import { useScreenKeys } from '../hooks/shell-context.js';
import { useCurrentReducer, useCurrentValue } from '../hooks/useCurrentReducer.js';
import { useFormInput } from '../hooks/useFormInput.js';
import { scheduleServices, useSchedule, type ScheduleServices } from '../hooks/useSchedule.js';
import { planOfLine } from '../tasks/backup/backup-plan.js';
import { DEFAULT_CRON } from '../tasks/backup/cron-expression.js';
import { formReducer, initialForm, type FieldSpec } from './backup/form-state.js';
import { FormView } from './backup/FormView.js';
import { chunk, runTime, schedulePreview, valuesOfLine } from './backup/schedule-lines.js';
import { editKeys, scheduleFormKeys, type ScheduleAction } from './backup/keys.js';
import type { ScreenProps } from './registry.js';

export interface ScheduleProps extends ScreenProps {
  /** Screen tests pass a fake crontab; the app uses the real one. */
  services?: ScheduleServices;
}

const FIELDS: FieldSpec[] = [
  { id: 'at', label: 'Schedule (cron)', kind: 'text' },
  { id: 'format', label: 'Format', kind: 'choice', choices: ['sql', 'custom', 'directory'] },
  { id: 'keep', label: 'Keep newest', kind: 'text', placeholder: '(no count)' },
  { id: 'keepDays', label: 'Keep days', kind: 'text', placeholder: '(no age)' },
  { id: 'keepDaily', label: 'Keep daily', kind: 'text', placeholder: '–' },
  { id: 'keepWeekly', label: 'Keep weekly', kind: 'text', placeholder: '–' },
  { id: 'keepMonthly', label: 'Keep monthly', kind: 'text', placeholder: '–' },
  { id: 'encryptTo', label: 'Encrypt to', kind: 'text', placeholder: '(not encrypted)' },
  { id: 'copyTo', label: 'Copy to', kind: 'text', placeholder: '(no copies)' },
  { id: 'mailTo', label: 'Mail failures to', kind: 'text', placeholder: "(the job's user)" },
  { id: 'restoreTestEvery', label: 'Restore test', kind: 'text', placeholder: '(never)' },
];
const NOTES = {
  at: 'minute hour day month weekday, or @daily …',
  format: 'of each nightly dump',
  keep: 'older verified backups are deleted; pinned ones never',
  keepDays: 'keep those younger than this',
  keepDaily: 'the newest of each of the last N days',
  encryptTo: 'age public keys, comma-separated, or one recipients file',
  copyTo: 'folders or user@host:folder, comma-separated',
  restoreTestEvery: 'every … e.g. 7d: a restore into a throwaway database',
};
const EMPTY_FORM = { at: DEFAULT_CRON, format: 'sql', keep: '', keepDays: '', keepDaily: '', keepWeekly: '', keepMonthly: '', encryptTo: '', copyTo: '', mailTo: '', restoreTestEvery: '' };

/** Schedule backups: what is installed, the line for the edited schedule with its next runs, install or remove. */
export function Schedule({ info, active, width, height, services = scheduleServices }: ScheduleProps) {
  const { reading, changing } = useSchedule(info, services);
  const [form, dispatch, current] = useCurrentReducer(formReducer, EMPTY_FORM, (v) => initialForm(v, 'at'));
  const [systemd, setSystemd] = useState(false);
  const [asking, setAsking, askingNow] = useCurrentValue<'install' | 'remove' | null>(null);
  const state = reading.state.result;
  const installed = state?.installed ?? null;
  const editing = form.draft !== undefined;
  useEffect(() => reading.start(), []); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    const values = valuesOfLine(installed, state?.recipients ?? null);
    if (values) for (const [id, value] of Object.entries(values)) dispatch({ type: 'set', id, value });
  }, [installed]); // eslint-disable-line react-hooks/exhaustive-deps
  // Keyed on the result, not the status: a quick change goes running → done within one render.
  useEffect(() => {
    if (changing.state.result) reading.start();
  }, [changing.state.result]); // eslint-disable-line react-hooks/exhaustive-deps

  const context = useMemo(
    () =>
      state && {
        instanceName: info.name,
        program: services.program(),
        catmaidDir: info.layout.root,
        // An installed line keeps its own folder: editing the policy must not move the backups elsewhere.
        backupDir: planOfLine(installed)?.outDir ?? state.backupDir,
        logFile: services.logFile(info.name),
        recipientsFile: state.recipients.file,
        base: planOfLine(installed)?.plan ?? null,
      },
    [state, installed, info.name, info.layout.root, services],
  );
  const preview = useMemo(() => (context ? schedulePreview(form.values, context) : undefined), [context, form.values]);

  const bindings = useMemo(() => scheduleFormKeys(installed !== null, systemd), [installed, systemd]);
  const busy = reading.state.status === 'running' || changing.state.status === 'running';
  useScreenKeys(editing ? editKeys : asking ? [] : bindings);

  const onAction = useCallback(
    (action: ScheduleAction) => {
      const { values, focus } = current();
      const field = FIELDS.find((f) => f.id === focus);
      if (action === 'up' || action === 'down') dispatch({ type: 'move', by: action === 'up' ? -1 : 1, fields: FIELDS });
      else if ((action === 'next' || action === 'previous' || action === 'enter') && field?.kind === 'choice') dispatch({ type: 'cycle', field, by: action === 'previous' ? -1 : 1 });
      else if (action === 'enter') dispatch({ type: 'edit' });
      else if (action === 'systemd') setSystemd((on) => !on);
      else if (action === 'reload') reading.start();
      else if (action === 'remove' && installed) setAsking('remove');
      else if (action === 'install') {
        // From the newest values: i may come right after the ⏎ that kept a field.
        const now = context && schedulePreview(values, context);
        if (now?.line) setAsking('install');
        else dispatch({ type: 'error', text: `not installed: ${now?.error ?? 'the crontab is still being read'}` });
      }
    },
    [current, dispatch, reading, installed, context],
  );
  useFormInput({ form: current, field: dispatch, bindings: asking !== null || busy ? [] : bindings, onAction, asking: () => askingNow() !== null }, active);

  const inner = width - 2;
  const user = services.user();
  const shown = systemd
    ? preview?.units
      ? [`# /etc/systemd/system/${preview.units.name}.service`, ...unitLines(preview.units.service), `# /etc/systemd/system/${preview.units.name}.timer`, ...unitLines(preview.units.timer)]
      : [`! no systemd form: ${preview?.unitsError ?? preview?.error ?? ''}`]
    : preview?.line
      ? [preview.line]
      : [];
  const paneLines = chunk(shown.join('\n'), inner - 4);
  // The units are long: while they show, they take the form's room (t brings the form back).
  // Title, state, blank, the fields, next runs, the panel's borders, .pgpass and one message: the rest is the line's.
  const room = Math.max(3, height - (systemd ? 8 : FIELDS.length + 9) - (asking ? 3 : 0));
  const change = changing.state.result;
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Text bold wrap="truncate">{`Schedule backups · ${info.name} · crontab of ${user}`}</Text>
      {reading.state.status === 'running' && !state && <Spinner label="reading the crontab and .pgpass …" />}
      {reading.state.status === 'failed' && <Badge kind="fail">{truncate(`${reading.state.error}`, inner - 2)}</Badge>}
      {state && (installed ? <Badge kind="ok">{truncate(`installed: ${installed}`, inner - 2)}</Badge> : <Badge kind="idle">none installed for this instance</Badge>)}
      {!systemd && <Text> </Text>}
      {!systemd && <FormView form={form} fields={FIELDS} width={inner} notes={NOTES} />}
      {systemd ? null : preview?.error ? (
        <Badge kind="fail">{truncate(`invalid: ${preview.error}`, inner - 2)}</Badge>
      ) : (
        <Text wrap="truncate">{`next runs: ${preview?.next.map(runTime).join(' · ') ?? '…'}`}</Text>
      )}
      <Panel title={systemd ? `systemd units · save both, then: systemctl enable --now ${preview?.units?.name ?? '<name>'}.timer` : 'Crontab line (t: systemd units instead)'} width={inner} height={Math.min(room, paneLines.length) + 2}>
        {paneLines.slice(0, room).map((line, i) => (
          <Text key={i}>{line || ' '}</Text>
        ))}
      </Panel>
      {state && !state.pgpass.usable && (
        <Badge kind="warn">{truncate(`${user} has no usable .pgpass entry: ${state.pgpass.reason} — catmaid-tui pgpass --install`, inner - 2)}</Badge>
      )}
      {state?.pgpass.usable && (
        <Badge kind="ok">{truncate(state.pgpass.fromSettings ? 'the scheduled run reads the password from settings.py' : `${state.pgpass.file} has the password for the scheduled run`, inner - 2)}</Badge>
      )}
      {form.error && <Badge kind="fail">{truncate(form.error, inner - 2)}</Badge>}
      {changing.state.status === 'failed' && <Badge kind="fail">{truncate(`${changing.state.error}`, inner - 2)}</Badge>}
      {changing.state.status === 'done' && change && !asking && (
        <Badge kind="ok">
          {change.what === 'install'
            ? change.changed ? `installed in the crontab of ${user}` : 'already installed: the crontab is unchanged'
            : change.changed ? 'removed: the crontab is as it was before' : 'nothing to remove: no scheduled backup was installed'}
        </Badge>
      )}
      {asking === 'install' && preview?.line && (
        <Confirm
          message={`${installed ? 'Replace the scheduled backup in' : 'Add the line above to'} the crontab of ${user}?`}
          yesLabel="Yes, install"
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            setAsking(null);
            dispatch({ type: 'error', text: undefined });
            changing.start('install', preview.line!, preview.keys ?? []);
          }}
          isActive={active}
        />
      )}
      {asking === 'remove' && (
        <Confirm
          message={`Take the scheduled backup of ${info.name} out of the crontab of ${user}? Other lines stay as they are.`}
          yesLabel="Yes, remove"
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            setAsking(null);
            changing.start('remove', '', []);
          }}
          isActive={active}
        />
      )}
    </Box>
  );
}

/** A unit file without its blank lines: the section headers already part it. */
const unitLines = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');

