import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';

/**
 * Is certbot's renewal scheduled? Debian's certbot package brings both a systemd timer (certbot.timer) and
 * /etc/cron.d/certbot, whose line does nothing where systemd runs; snap's certbot has snap.certbot.renew.timer.
 * A cron line only helps while a cron daemon runs.
 */
export interface RenewalSchedule {
  scheduled: boolean;
  how: 'systemd-timer' | 'cron' | 'none';
  /** One line for the admin: what runs it, or what is missing and how to fix it. */
  detail: string;
  /** The timer's next run, when systemd says. */
  next?: string;
}

export interface ScheduleProbe {
  systemd: boolean;
  /** Files holding cron lines (cron.d entries, crontabs). */
  cronFiles: string[];
  /** `/proc`, where a running cron daemon is looked for. */
  proc: string;
}

const TIMERS = ['certbot.timer', 'snap.certbot.renew.timer'];

export const systemProbe = (systemd: boolean): ScheduleProbe => ({
  systemd,
  cronFiles: ['/etc/cron.d/certbot', '/etc/crontab', '/var/spool/cron/crontabs/root'],
  proc: '/proc',
});

/** A cron line that runs `certbot renew` (or `certbot -q renew`), not commented out. */
export function cronRenewLine(text: string): string | undefined {
  return text.split('\n').find((line) => !/^\s*#/.test(line) && /\bcertbot\b.*\brenew\b/.test(line));
}

export function cronDaemonRunning(proc: string): boolean {
  let pids: string[];
  try {
    pids = fs.readdirSync(proc).filter((p) => /^\d+$/.test(p));
  } catch {
    return false;
  }
  return pids.some((pid) => {
    try {
      const comm = fs.readFileSync(path.join(proc, pid, 'comm'), 'utf8').trim();
      if (comm === 'busybox') return /crond/.test(fs.readFileSync(path.join(proc, pid, 'cmdline'), 'utf8'));
      return /^(cron|crond|cronie)$/.test(comm);
    } catch {
      return false;
    }
  });
}

async function timerState(): Promise<RenewalSchedule | undefined> {
  for (const timer of TIMERS) {
    const active = await execa('systemctl', ['is-active', timer], { reject: false, timeout: 5000 });
    if (`${active.stdout}`.trim() !== 'active') continue;
    const next = await execa('systemctl', ['show', timer, '-p', 'NextElapseUSecRealtime', '--value'], { reject: false, timeout: 5000 });
    const when = `${next.stdout}`.trim();
    return { scheduled: true, how: 'systemd-timer', detail: `${timer} is active${when ? ` (next run ${when})` : ''}`, next: when || undefined };
  }
  return undefined;
}

export async function renewalSchedule(probe: ScheduleProbe): Promise<RenewalSchedule> {
  if (probe.systemd) {
    const timer = await timerState();
    if (timer) return timer;
  }
  for (const file of probe.cronFiles) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const line = cronRenewLine(text);
    // Debian's line skips itself on systemd machines: there the timer must be on.
    if (!line || (probe.systemd && line.includes('/run/systemd/system'))) continue;
    if (!cronDaemonRunning(probe.proc)) {
      return { scheduled: false, how: 'cron', detail: `${file} runs certbot renew, but no cron daemon is running: start cron` };
    }
    return { scheduled: true, how: 'cron', detail: `${file} runs certbot renew (cron is running)` };
  }
  const fix = probe.systemd ? 'systemctl enable --now certbot.timer' : 'apt install cron (Debian\'s certbot package has /etc/cron.d/certbot)';
  return { scheduled: false, how: 'none', detail: `nothing runs certbot renew: ${fix}` };
}
