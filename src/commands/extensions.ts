import type { Command } from 'commander';
import { addExtension, removeExtension, type ExtensionChangeResult } from '../tasks/extensions/change.js';
import { listExtensions } from '../tasks/extensions/list.js';
import { extensionLocation, nginxServesLocation } from '../tasks/extensions/nginx.js';
import { checkExtensionName } from '../tasks/extensions/names.js';
import { UsageError } from '../tasks/errors.js';
import { discoverInstance } from '../tasks/instance/index.js';
import { formatBytes } from '../tasks/bytes.js';
import { openTaskLog } from '../tasks/task-log.js';
import { confirmOrRefuse } from './confirm.js';
import { instanceOf, printJson } from './context.js';

async function instance(command: Command) {
  const located = await instanceOf(command);
  return { located, info: await discoverInstance(located, { database: false, processes: false }) };
}

function describe(result: ExtensionChangeResult, verb: string): string {
  const lines = [
    result.settingsChanged ? `${verb} ${result.name}: settings.py changed (backup: ${result.backup})` : `${result.name}: settings.py already right, not changed`,
  ];
  if (result.fileChanged) lines.push(`file: ${result.file}`);
  lines.push(`STATIC_EXTENSION_FILES is now ${JSON.stringify(result.files)} (checked by ${result.verifiedBy === 'django' ? 'importing the settings with Django' : 'the static reader'})`);
  return `${lines.join('\n')}\n`;
}

export function registerExtensions(program: Command): void {
  const ext = program.command('extensions').description('custom front-end code: STATIC_EXTENSION_FILES');

  ext
    .command('list', { isDefault: true })
    .description('the extension settings and each file: present, size, served by the web server')
    .option('--url <site>', 'the site URL, e.g. https://catmaid.example.org, to check the web server serves each file')
    .option('--json', 'machine-readable output')
    .action(async (options: { url?: string; json?: boolean }, command: Command) => {
      const { located, info } = await instance(command);
      const siteUrl = options.url ?? (located.config?.siteUrl as string | undefined);
      const listing = await listExtensions(info, siteUrl);
      if (options.json) return printJson(listing);
      const out = [
        `STATIC_EXTENSION_URL    ${listing.url ?? '(not set)'}`,
        `STATIC_EXTENSION_ROOT   ${listing.root ?? '(not set)'}`,
        `STATIC_EXTENSION_FILES  ${listing.files.length} file(s)${listing.isList ? '' : ' — NOT A LIST: CATMAID will refuse to start'}`,
        ...listing.files.map((f) => {
          const where = f.present ? `✓ present ${formatBytes(f.size ?? 0)}` : '✗ missing from the folder';
          const served = f.served ? (f.served.ok ? ` · ✓ served (${f.served.status})` : ` · ✗ not served (${f.served.status ?? f.served.error})`) : '';
          return `  ${f.name.padEnd(30)} ${where}${served}`;
        }),
        ...listing.unlisted.map((name) => `  ${name.padEnd(30)} · in the folder, not listed`),
      ];
      if (!siteUrl) out.push('(add --url https://your.site to check that the web server serves the files)');
      process.stdout.write(`${out.join('\n')}\n`);
    });

  ext
    .command('add <file>')
    .description('copy a .js/.css file into STATIC_EXTENSION_ROOT and list it in STATIC_EXTENSION_FILES')
    .option('--name <name>', 'file name to use in the folder and the setting (default: the file name)')
    .option('--yes', 'do not ask')
    .action(async (file: string, options: { name?: string; yes?: boolean }, command: Command) => {
      const name = checkExtensionName(options.name ?? file.split('/').at(-1) ?? file);
      const { info } = await instance(command);
      await confirmOrRefuse(`Add ${name} to STATIC_EXTENSION_FILES in ${info.layout.settingsPy}?`, options.yes);
      const log = openTaskLog('extensions-add');
      try {
        log.line(`add ${file} as ${name}`);
        const result = await addExtension(info, file, name);
        for (const warning of result.warnings) {
          log.line(`warning: ${warning}`);
          process.stderr.write(`catmaid-tui: warning: ${warning}\n`);
        }
        log.output(describe(result, 'added'));
        process.stdout.write(describe(result, 'added'));
        process.stdout.write(`log: ${log.path}\n`);
      } finally {
        log.close();
      }
    });

  ext
    .command('remove <name>')
    .description('take a name out of STATIC_EXTENSION_FILES')
    .option('--delete-file', 'also delete the file from STATIC_EXTENSION_ROOT')
    .option('--yes', 'do not ask')
    .action(async (name: string, options: { deleteFile?: boolean; yes?: boolean }, command: Command) => {
      checkExtensionName(name);
      const { info } = await instance(command);
      await confirmOrRefuse(
        `Remove ${name} from STATIC_EXTENSION_FILES${options.deleteFile ? ' and delete the file' : ''}?`,
        options.yes,
      );
      const log = openTaskLog('extensions-remove');
      try {
        const result = await removeExtension(info, name, options.deleteFile);
        log.output(describe(result, 'removed'));
        process.stdout.write(describe(result, 'removed'));
        if (result.fileChanged) process.stdout.write(`deleted ${result.file}\n`);
        process.stdout.write(`log: ${log.path}\n`);
      } finally {
        log.close();
      }
    });

  ext
    .command('nginx')
    .description('the nginx location that serves STATIC_EXTENSION_URL, and whether nginx has it')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { info } = await instance(command);
      const { staticExtensionUrl: url, staticExtensionRoot: root } = info.settings.settings;
      if (!url || !root) throw new UsageError('STATIC_EXTENSION_URL and STATIC_EXTENSION_ROOT must both be set');
      const block = extensionLocation(url, root);
      const check = await nginxServesLocation(url, root);
      if (options.json) return printJson({ location: block, nginx: check });
      process.stdout.write(`${block}\n\n${check.present ? '✓' : check.checked ? '✗' : '?'} ${check.detail}\n`);
      if (!check.present) process.stdout.write('Add the block to the server block that serves CATMAID, then: nginx -t && systemctl reload nginx\n');
    });
}
