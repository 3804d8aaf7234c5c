import { Box, Text } from 'ink';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Badge } from '../components/Badge.js';
import { Confirm } from '../components/Confirm.js';
import { Spinner } from '../components/Spinner.js';
import { truncate } from '../components/theme.js';
import { useChangedAfter, useScreenKeys } from '../hooks/shell-context.js';
import { useCurrentReducer, useCurrentValue } from '../hooks/useCurrentReducer.js';
import { useFormInput } from '../hooks/useFormInput.js';
import { NO_NGINX, useSsl, type SslServices } from '../hooks/useSsl.js';
import type { ScreenProps } from './registry.js';
import { formProblem, formReducer, initialForm, isTextField } from './ssl/form-state.js';
import { editKeys, formKeys, planKeys, probeKeys, resultKeys, type SslAction } from './ssl/keys.js';
import { applyRefusal, planViewLines, probeViewLines, resultViewLines, scrollTo, wrapLines, type ScrollAction } from './ssl/report-lines.js';
import { ScrollPane } from './ssl/ScrollPane.js';
import { SslFormView } from './ssl/SslFormView.js';

export interface SslProps extends ScreenProps {
  /** Screen tests point the tasks at a private nginx; the app uses the real ones. */
  services?: SslServices;
}

type View = 'form' | 'plan' | 'result' | 'probe';
const SCROLL: readonly string[] = ['up', 'down', 'pgup', 'pgdn', 'top', 'bottom'];

/** SSL setup: form → plan (configuration, diff, checks) → apply with confirmation → result, restart → probe of the live site. */
export function Ssl({ info, active, width, height, services }: SslProps) {
  const ssl = useSsl(info, services);
  const { planning, applying, restarting, probing } = ssl;
  useChangedAfter(applying.state);
  const [form, dispatch, current] = useCurrentReducer(formReducer, info.settings.settings, initialForm);
  const [view, setView] = useState<View>('form');
  const [offset, setOffset] = useState(0);
  const [confirm, setConfirm, confirmNow] = useCurrentValue<'apply' | 'restart' | null>(null);
  const editing = form.draft !== undefined;
  const running = [planning, applying, restarting, probing].some((t) => t.state.status === 'running');
  const plan = planning.state.status === 'done' ? planning.state.result : undefined;
  const outcome = applying.state.status === 'done' ? applying.state.result : undefined;
  const mayApply = plan !== undefined && applyRefusal(plan) === undefined;
  const mayRestart = outcome !== undefined && restarting.state.status !== 'done';
  const report = probing.state.status === 'done' ? probing.state.result : undefined;

  useEffect(() => {
    if (planning.state.status === 'done') {
      setView('plan');
      setOffset(0);
    } else if (planning.state.status === 'failed') dispatch({ type: 'error', text: planning.state.error });
  }, [planning.state.status, planning.state.error]);
  useEffect(() => {
    if (applying.state.status === 'done') {
      setView('result');
      setOffset(0);
    }
  }, [applying.state.status]);
  useEffect(() => {
    if (probing.state.status === 'done') {
      setView('probe');
      setOffset(0);
    }
  }, [probing.state.status]);

  const lines = useMemo(() => {
    if (view === 'plan' && plan) return wrapLines(planViewLines(plan), width - 2);
    if (view === 'result' && outcome && plan) return wrapLines(resultViewLines(outcome, plan.plan.restart.display), width - 2);
    if (view === 'probe' && report) return wrapLines(probeViewLines(report), width - 2);
    return [];
  }, [view, plan, outcome, report, width]);
  const paneHeight = Math.max(3, height - 5);

  const bindings = view === 'form' ? formKeys : view === 'plan' ? planKeys(mayApply) : view === 'result' ? resultKeys(mayRestart) : probeKeys;
  const keys = useMemo(() => (editing ? editKeys : confirm || running ? [] : bindings), [editing, confirm, running, bindings]);
  useScreenKeys(keys);

  const submit = useCallback(() => {
    const { values } = current();
    const problem = ssl.nginx ? formProblem(values) : NO_NGINX;
    if (problem) dispatch({ type: 'error', text: problem });
    else {
      dispatch({ type: 'error', text: undefined });
      planning.start(values);
    }
  }, [current, dispatch, planning, ssl.nginx]);

  const onAction = useCallback(
    (action: SslAction) => {
      if (view === 'form') {
        const { focus } = current();
        if (action === 'up' || action === 'down') dispatch({ type: 'move', by: action === 'up' ? -1 : 1 });
        else if (action === 'toggle') dispatch({ type: 'toggle' });
        else if (action === 'plan' || (action === 'enter' && focus === 'submit')) submit();
        else if (action === 'enter') dispatch({ type: isTextField(focus) ? 'edit' : 'toggle' });
        return;
      }
      if (SCROLL.includes(action)) setOffset((at) => scrollTo(at, action as ScrollAction, lines.length, paneHeight - 1));
      else if (action === 'edit') setView('form');
      else if (action === 'apply' && mayApply) setConfirm('apply');
      else if (action === 'restart' && mayRestart) setConfirm('restart');
      else if (action === 'probe' && plan && outcome) probing.start(plan.plan);
      else if (action === 'back' && outcome) {
        setView('result');
        setOffset(0);
      }
    },
    [view, current, dispatch, submit, lines.length, paneHeight, mayApply, mayRestart, plan, outcome, probing],
  );
  useFormInput({ form: current, field: dispatch, bindings: confirm || running ? [] : bindings, onAction, asking: () => confirmNow() !== null }, active);

  if (view === 'form') {
    return (
      <Box flexDirection="column" width={width} height={height} paddingX={1}>
        <SslFormView form={form} nginxProblem={ssl.nginx ? undefined : NO_NGINX} width={width - 2} />
        {planning.state.status === 'running' && (
          <Spinner label="reading nginx -T, checking the certificate, making the configuration …" startedAt={planning.state.startedAt} />
        )}
      </Box>
    );
  }
  const restartState = restarting.state;
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Text bold wrap="truncate">
        {view === 'plan'
          ? `Plan for ${plan?.plan.request.serverName} · nothing written yet`
          : view === 'probe'
            ? `Probe of ${report?.url} · grade ${report?.grade}`
            : `Applied for ${plan?.plan.request.serverName}`}
      </Text>
      <ScrollPane lines={lines} offset={offset} width={width - 2} height={paneHeight} />
      <Box flexDirection="column" height={4}>
        {confirm === 'apply' && plan && (
          <Confirm
            message={`${plan.plan.request.acme ? "Get the certificate from Let's Encrypt (nginx reloaded to serve the challenge), then w" : 'W'}rite ${plan.plan.siteFile} (a copy of the old file is kept) and run nginx -t${plan.django ? ', then set the SSL block in settings.py' : ''}?`}
            yesLabel="Yes, write it"
            noLabel="No"
            onCancel={() => setConfirm(null)}
            onConfirm={() => {
              setConfirm(null);
              applying.start(plan);
            }}
            isActive={active}
          />
        )}
        {confirm === 'restart' && plan && (
          <Confirm
            message={`Restart nginx now (${plan.plan.restart.display})? Open connections are dropped.`}
            onCancel={() => setConfirm(null)}
            onConfirm={() => {
              setConfirm(null);
              restarting.start(plan.plan.restart);
            }}
            isActive={active}
          />
        )}
        {applying.state.status === 'running' && <Spinner label={applying.state.lines.at(-1) ?? 'applying …'} startedAt={applying.state.startedAt} />}
        {view === 'plan' && applying.state.status === 'failed' && (
          <Badge kind="fail">{truncate(`${applying.state.error}`, width - 4)}</Badge>
        )}
        {view === 'result' && restartState.status === 'running' && <Spinner label="restarting nginx …" startedAt={restartState.startedAt} />}
        {view === 'result' && restartState.status === 'done' && <Badge kind="ok">nginx restarted: the new certificate is in use · p probes the live site</Badge>}
        {view === 'result' && restartState.status === 'failed' && <Badge kind="fail">{truncate(`${restartState.error}`, width - 4)}</Badge>}
        {probing.state.status === 'running' && <Spinner label="probing the live site: handshakes, certificate, HSTS, redirect …" startedAt={probing.state.startedAt} />}
        {probing.state.status === 'failed' && <Badge kind="fail">{truncate(`probe: ${probing.state.error}`, width - 4)}</Badge>}
        {applying.state.logFile && <Text dimColor>{truncate(`log: ${applying.state.logFile}`, width - 2, 'start')}</Text>}
      </Box>
    </Box>
  );
}

