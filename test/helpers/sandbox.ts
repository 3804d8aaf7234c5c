import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  copySandbox,
  createSandbox,
  destroySandbox,
  startSandboxServices,
  stopSandbox,
  type SandboxInfo,
  type ServicesInfo,
} from '../../src/sandbox/index.js';
import { prepareCheckout } from '../../src/sandbox/services/index.js';
import { listFiles } from '../../src/sandbox/template-dir.js';
import { tryLockFile } from '../../src/tasks/lock-file.js';

/**
 * A fresh small sandbox per test file, fast. Creating one takes ~10 s; copying a stopped one takes ~1 s. So the
 * first caller of a test run builds a template sandbox in /tmp, keyed by a hash of src/sandbox (its code and
 * python files) and by flavour (`brokenVenv`), and every caller copies it (cp -a keeps the postgres ownership)
 * into its own temp folder with its own port. A lock file (O_EXCL, holding the builder's pid) makes parallel
 * vitest workers wait for one build instead of building twice; a lock whose process died is taken over. The
 * template outlives the run, so the next run with unchanged sandbox code skips the build; templates of other
 * hashes older than a day are removed.
 */
export interface TestSandbox extends SandboxInfo {
  destroy(): Promise<void>;
}

/** With `services: true`: CATMAID's services run (supervisord, uWSGI, daphne, celery, nginx); see ServicesInfo. */
export interface TestSandboxWithServices extends TestSandbox {
  services: ServicesInfo;
}

export interface TestSandboxOptions {
  services?: boolean;
  /** The flavour whose virtualenv cannot import CATMAID's settings (see `sandbox create --broken-venv`). */
  brokenVenv?: boolean;
}

/** Each flavour has its own template (services are started in the copy, so they make no flavour). */
const flavourOf = (options: TestSandboxOptions): string => (options.brokenVenv ? '-broken-venv' : '');

const SANDBOX_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'sandbox');
const PREFIX = 'catmaid-tui-test-template-';

function templateKey(): string {
  const hash = crypto.createHash('sha256');
  for (const rel of listFiles(SANDBOX_SRC)) hash.update(rel).update('\0').update(fs.readFileSync(path.join(SANDBOX_SRC, rel)));
  return hash.digest('hex').slice(0, 16);
}

function removeOldTemplates(keep: string): void {
  const dayAgo = Date.now() - 86_400_000;
  for (const name of fs.readdirSync('/tmp')) {
    const dir = path.join('/tmp', name);
    if (!name.startsWith(PREFIX) || name.endsWith('.lock') || dir === keep) continue;
    const ready = path.join(dir, 'READY');
    if (fs.existsSync(ready) && fs.statSync(ready).mtimeMs < dayAgo) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function buildTemplate(base: string, options: TestSandboxOptions): Promise<void> {
  await fs.promises.rm(base, { recursive: true, force: true });
  await fs.promises.mkdir(base, { mode: 0o755 });
  await fs.promises.chmod(base, 0o755);
  await createSandbox(path.join(base, 'sb'), { size: 'small', brokenVenv: options.brokenVenv === true });
  try {
    // Collected static files, django.wsgi and the virtualenv's entry scripts: copies start their services sooner.
    // A flavour whose virtualenv cannot run Django is left as it is (its copies do this, or fail, at start); for
    // the other a failure here is a broken template, never marked READY.
    const prepared = prepareCheckout(path.join(base, 'sb', 'catmaid'));
    await (options.brokenVenv ? prepared.catch(() => undefined) : prepared);
  } finally {
    await stopSandbox(path.join(base, 'sb'));
  }
  await fs.promises.writeFile(path.join(base, 'READY'), new Date().toISOString());
}

/** The template sandbox of this code (and flavour), built once across workers and runs. */
export async function templateSandbox(options: TestSandboxOptions = {}): Promise<string> {
  const base = path.join('/tmp', `${PREFIX}${templateKey()}${flavourOf(options)}`);
  const lock = `${base}.lock`;
  const deadline = Date.now() + 180_000;
  while (!fs.existsSync(path.join(base, 'READY'))) {
    if (tryLockFile(lock)) {
      try {
        if (!fs.existsSync(path.join(base, 'READY'))) {
          await buildTemplate(base, options);
          removeOldTemplates(base);
        }
      } finally {
        fs.rmSync(lock, { force: true });
      }
    } else {
      if (Date.now() > deadline) throw new Error(`waited too long for the template sandbox (${lock})`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return path.join(base, 'sb');
}

/** A running small sandbox of its own in a temp folder; call destroy() in afterAll. */
export async function createTestSandbox(opts: TestSandboxOptions & { services: true }): Promise<TestSandboxWithServices>;
export async function createTestSandbox(opts?: TestSandboxOptions): Promise<TestSandbox>;
export async function createTestSandbox(opts: TestSandboxOptions = {}): Promise<TestSandbox> {
  const template = await templateSandbox(opts);
  const parent = await fs.promises.mkdtemp('/tmp/catmaid-tui-sb-');
  await fs.promises.chmod(parent, 0o755); // mkdtemp makes 0700; the postgres user must get through
  let info = await copySandbox(template, path.join(parent, 'sb'));
  const destroy = async () => {
    await destroySandbox(info.dir);
    await fs.promises.rm(parent, { recursive: true, force: true });
  };
  try {
    if (opts.services) info = await startSandboxServices(info.dir);
  } catch (err) {
    await destroy();
    throw err;
  }
  return { ...info, destroy };
}
