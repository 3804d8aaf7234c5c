import path from 'node:path';
import { useCallback, useState } from 'react';
import type { SslForm } from '../screens/ssl/form-state.js';
import { CliError, oneLine } from '../tasks/errors.js';
import type { InstanceInfo, InstanceLayout } from '../tasks/instance/types.js';
import { applyDjangoSsl, previewDjangoSsl, type DjangoSslResult } from '../tasks/ssl/django-secure.js';
import type { SiteOptions } from '../tasks/ssl/nginx-config.js';
import { findNginx, type NginxCommand } from '../tasks/ssl/nginx-version.js';
import { applySsl, planSsl, type SslPlan, type SslRequest, type SslResult } from '../tasks/ssl/plan.js';
import { planLines, resultLines } from '../tasks/ssl/report.js';
import { restartNginx, type RestartPlan } from '../tasks/ssl/restart.js';
import { defaultSelfSignedFiles, type SelfSignedFiles } from '../tasks/ssl/self-signed.js';
import { readStaticSettings, type StaticSettings } from '../tasks/ssl/static-settings.js';
import { openTaskLog } from '../tasks/task-log.js';
import { useTask, type TaskContext } from './useTask.js';

/** The SSL tasks the screen calls: the real ones by default; tests point them at a private nginx. */
export interface SslServices {
  nginx(): NginxCommand | undefined;
  /** Listen address and ports of the generated blocks (default: all addresses, 443 and 80). */
  listen?: SiteOptions['listen'];
  selfSignedFiles(serverName: string): SelfSignedFiles;
  statics(layout: InstanceLayout): Promise<Partial<StaticSettings>>;
  plan(request: SslRequest): Promise<SslPlan>;
  apply(plan: SslPlan): Promise<SslResult>;
  previewDjango(layout: InstanceLayout): Promise<string>;
  applyDjango(layout: InstanceLayout): Promise<DjangoSslResult>;
  restart(plan: RestartPlan): Promise<void>;
  logDir?: string;
}

export const sslServices: SslServices = {
  nginx: () => {
    const binary = findNginx();
    return binary ? { binary, configArgs: [] } : undefined;
  },
  selfSignedFiles: (serverName) => defaultSelfSignedFiles(serverName),
  statics: readStaticSettings,
  plan: planSsl,
  apply: applySsl,
  previewDjango: previewDjangoSsl,
  applyDjango: applyDjangoSsl,
  restart: restartNginx,
};

export interface PlanOutcome {
  plan: SslPlan;
  django: boolean;
  /** The settings.py diff ('' when the block is there already). */
  djangoDiff?: string;
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
    .replace(/--cert /g, 'certificate file ')
    .replace(/--key /g, 'key file ');
}

function requestOf(form: SslForm, nginx: NginxCommand, services: SslServices, statics: Partial<StaticSettings>): SslRequest {
  const selfSigned = form.source === 'self-signed';
  return {
    serverName: form.serverName,
    files: selfSigned ? services.selfSignedFiles(form.serverName) : { certificate: path.resolve(form.cert), key: path.resolve(form.key) },
    selfSigned,
    upstream: form.upstream || undefined,
    siteFile: form.siteFile ? path.resolve(form.siteFile) : undefined,
    hsts: form.hsts,
    nginx,
    statics,
    listen: services.listen,
  };
}

/** Plan, apply and restart for the SSL screen, each a task: the screen shows its state and never blocks. */
export function useSsl(info: InstanceInfo, services: SslServices = sslServices) {
  const [nginx] = useState(() => services.nginx());

  const planRun = useCallback(
    async (_ctx: TaskContext, form: SslForm): Promise<PlanOutcome> => {
      if (!nginx) throw new Error(NO_NGINX);
      const notes: string[] = [];
      const statics = await services.statics(info.layout).catch((err: unknown) => {
        notes.push(`static folders not read from Django (${oneLine(err)}); old locations are kept`);
        return {};
      });
      try {
        const plan = await services.plan(requestOf(form, nginx, services, statics));
        plan.notes.push(...notes);
        const djangoDiff = form.django ? await services.previewDjango(info.layout) : undefined;
        return { plan, django: form.django, djangoDiff };
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
        ctx.emit({ type: 'line', text: `writing ${outcome.plan.siteFile}, then nginx -t` });
        const result = await services.apply(outcome.plan);
        log.output(resultLines(result).join('\n'));
        if (!outcome.django) return { result, log: log.path };
        ctx.emit({ type: 'line', text: 'settings.py: SSL block, then manage.py check --deploy' });
        try {
          const django = await services.applyDjango(info.layout);
          log.output(`settings.py ${django.changed ? `changed (backup ${django.backup})` : 'already had the block'}`);
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

  const planning = useTask(planRun);
  const applying = useTask(applyRun);
  const restarting = useTask(restartRun);
  return { nginx, planning, applying, restarting };
}
