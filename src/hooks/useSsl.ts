import { useCallback, useState } from 'react';
import type { SslForm } from '../screens/ssl/form-state.js';
import { CliError, oneLine } from '../tasks/errors.js';
import type { InstanceInfo, InstanceLayout } from '../tasks/instance/types.js';
import { applySsl, siteUrl, type ApplyOptions, type SslResult } from '../tasks/ssl/apply.js';
import { applyDjangoSsl, planDjangoSsl, type DjangoSslPlan, type DjangoSslResult } from '../tasks/ssl/django-secure.js';
import { findNginx, type NginxCommand } from '../tasks/ssl/nginx-version.js';
import { planSsl, type SslPlan, type SslRequest } from '../tasks/ssl/plan.js';
import { probeSite, type ProbeOptions, type ProbeReport } from '../tasks/ssl/probe/probe.js';
import { planLines, resultLines } from '../tasks/ssl/report.js';
import { buildSslRequest, type SslInput } from '../tasks/ssl/request.js';
import { restartNginx, type RestartPlan } from '../tasks/ssl/restart.js';
import { openTaskLog } from '../tasks/task-log.js';
import { useTask, type TaskContext } from './useTask.js';

/** The SSL tasks the screen calls: the real ones by default; tests point them at a private nginx and a test CA. */
export interface SslServices {
  nginx(): NginxCommand | undefined;
  /** What the form does not ask (listen address and ports, a private certbot, a test CA), for tests. */
  inputExtras?: Partial<SslInput>;
  request(input: SslInput, nginx: NginxCommand, layout: InstanceLayout | undefined, notes: string[]): Promise<SslRequest>;
  plan(request: SslRequest): Promise<SslPlan>;
  apply(plan: SslPlan, options: ApplyOptions): Promise<SslResult>;
  planDjango: typeof planDjangoSsl;
  applyDjango(layout: InstanceLayout, plan: DjangoSslPlan): Promise<DjangoSslResult>;
  restart(plan: RestartPlan): Promise<void>;
  probe(options: ProbeOptions): Promise<ProbeReport>;
  /** Where the probe connects and which CA it trusts besides the system's (tests). */
  probeExtras?: Pick<ProbeOptions, 'connect' | 'ca'>;
  logDir?: string;
}

export const sslServices: SslServices = {
  nginx: () => {
    const binary = findNginx();
    return binary ? { binary, configArgs: [] } : undefined;
  },
  request: buildSslRequest,
  plan: planSsl,
  apply: applySsl,
  planDjango: planDjangoSsl,
  applyDjango: applyDjangoSsl,
  restart: restartNginx,
  probe: probeSite,
};

export interface PlanOutcome {
  plan: SslPlan;
  /** The settings.py part, when the Django toggle is on. */
  django?: DjangoSslPlan;
}

export interface ApplyOutcome {
  result: SslResult;
  django?: DjangoSslResult;
  /** nginx was written, but the Django block failed: said apart so the nginx part is not lost from view. */
  djangoError?: string;
  log: string;
}

export const NO_NGINX = 'nginx not found (not on PATH, nor in /usr/sbin): install it (apt install nginx); nothing was written';

/** The message, and a CliError's hint, as the screen says it: the command's flags become the form's fields. */
export function problemText(err: unknown): string {
  const hint = err instanceof CliError && err.hint ? ` (${err.hint})` : '';
  return `${oneLine(err)}${hint}`
    .replace(/pass --site-file PATH/g, 'fill in the Site file field')
    .replace(/pass --upstream /g, 'fill in the Upstream field, e.g. ')
    .replace(/add it with --allowed-host/g, 'switch on ALLOWED_HOSTS "add the server name"')
    .replace(/--cert /g, 'certificate file ')
    .replace(/--key /g, 'key file ');
}

/** The form's choices; what it leaves empty may come from the services' extras (tests' private files and ports). */
function inputOf(form: SslForm, services: SslServices): SslInput {
  const extras = services.inputExtras ?? {};
  return {
    ...extras,
    serverName: form.serverName,
    source: form.source,
    cert: form.cert || extras.cert,
    key: form.key || extras.key,
    email: form.email || extras.email,
    upstream: form.upstream || extras.upstream,
    siteFile: form.siteFile || extras.siteFile,
    hsts: form.hsts,
  };
}

/** A site that listens on one address (a sandbox's loopback) is probed there, whatever its name resolves to. */
function addressOf(plan: SslPlan): string | undefined {
  const spec = plan.listen.tls[0]?.[0] ?? '';
  const v4 = /^(\d+(?:\.\d+){3}):\d+$/.exec(spec);
  return v4 ? v4[1] : undefined;
}

/** The http port of the redirect server, for the probe's redirect check. */
function httpPortOf(plan: SslPlan): number {
  const spec = plan.listen.redirect[0]?.[0] ?? '80';
  return Number(/(\d+)$/.exec(spec)?.[1] ?? 80);
}

/** Plan, apply, restart and probe for the SSL screen, each a task: the screen shows its state and never blocks. */
export function useSsl(info: InstanceInfo, services: SslServices = sslServices) {
  const [nginx] = useState(() => services.nginx());

  const planRun = useCallback(
    async (_ctx: TaskContext, form: SslForm): Promise<PlanOutcome> => {
      if (!nginx) throw new Error(NO_NGINX);
      try {
        const notes: string[] = [];
        const plan = await services.plan(await services.request(inputOf(form, services), nginx, info.layout, notes));
        plan.notes.push(...notes);
        const django = form.django
          ? await services.planDjango(info.layout, { serverName: plan.request.serverName, httpsPort: plan.httpsPort, addAllowedHost: form.allowedHost })
          : undefined;
        return { plan, django };
      } catch (err) {
        throw new Error(problemText(err));
      }
    },
    [info.layout, nginx, services],
  );

  const applyRun = useCallback(
    async (ctx: TaskContext, outcome: PlanOutcome): Promise<ApplyOutcome> => {
      const log = openTaskLog('ssl', services.logDir);
      ctx.emit({ type: 'log', file: log.path });
      try {
        log.output(planLines(outcome.plan).join('\n'));
        const result = await services.apply(outcome.plan, { log, onStep: (text) => ctx.emit({ type: 'line', text }) });
        log.output(resultLines(result).join('\n'));
        if (!outcome.django) return { result, log: log.path };
        ctx.emit({ type: 'line', text: 'settings.py: SSL block, then manage.py check --deploy' });
        try {
          const django = await services.applyDjango(info.layout, outcome.django);
          log.output(`settings.py ${django.changed ? `changed (copy ${django.copy})` : 'already had the block'}`);
          log.output(django.warnings.map((w) => `${w.id}: ${w.message}`).join('\n'));
          return { result, django, log: log.path };
        } catch (err) {
          log.line(`Django: ${problemText(err)}`);
          return { result, djangoError: problemText(err), log: log.path };
        }
      } catch (err) {
        log.line(`failed: ${problemText(err)}`);
        throw new Error(problemText(err));
      } finally {
        log.close();
      }
    },
    [info.layout, services],
  );

  const restartRun = useCallback(async (_ctx: TaskContext, plan: RestartPlan) => services.restart(plan), [services]);
  const probeRun = useCallback(
    async (_ctx: TaskContext, plan: SslPlan) => services.probe({ url: siteUrl(plan), httpPort: httpPortOf(plan), connect: addressOf(plan), ...services.probeExtras }),
    [services],
  );

  const planning = useTask(planRun);
  const applying = useTask(applyRun);
  const restarting = useTask(restartRun);
  const probing = useTask(probeRun);
  return { nginx, planning, applying, restarting, probing };
}
