// The code cache inside the executable, made from a real start: warm.cjs runs the executable's script on the very
// Node that goes into the executable, opens the wizard on a folder shaped like a CATMAID checkout in a terminal
// (script(1)), waits for its first frame, quits with q, and writes V8's code cache at exit. A cache made right
// after compiling holds the top level only; this one holds every function of that start, so the executable's
// first frame compiles almost nothing (bench/startup).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIRST_FRAME = 'catmaid-tui \u00b7';
const TIMEOUT_MS = 60_000;

/** Run `script` (the executable's, a file) through the wizard's first frame on `node`: the code cache's file. */
export async function warmCodeCache({ node, script, stage, execArgv }) {
  const dir = path.join(stage, 'warm');
  fs.rmSync(dir, { recursive: true, force: true });
  const root = path.join(dir, 'catmaid');
  fs.mkdirSync(path.join(root, 'django'), { recursive: true });
  const out = path.join(stage, 'catmaid-tui.code-cache');
  fs.rmSync(out, { force: true });
  // catmaid-tui's config, state and logs of this run stay in the folder, away from the builder's own.
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const env = {
    PATH: process.env.PATH, TERM: 'xterm-256color', LANG: 'C.UTF-8', HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'), XDG_STATE_HOME: path.join(home, 'state'),
    XDG_CACHE_HOME: path.join(home, 'cache'), XDG_DATA_HOME: path.join(home, 'data'),
    WARM_NODE: node, WARM_FLAGS: execArgv.join(' '), WARM_JS: path.join(here, 'warm.cjs'), WARM_SCRIPT: script,
    WARM_OUT: out, WARM_ROOT: root,
  };
  // script(1) takes one shell command; the paths reach it through the environment, never inside that string.
  const command = 'stty rows 30 cols 100; exec "$WARM_NODE" $WARM_FLAGS "$WARM_JS" "$WARM_SCRIPT" "$WARM_OUT" -C "$WARM_ROOT"';
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  let seen = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`code cache: no first frame of the wizard within ${TIMEOUT_MS / 1000} s; saw ${JSON.stringify(seen.slice(-300))}`));
    }, TIMEOUT_MS);
    child.on('error', reject);
    child.stdin.on('error', () => undefined);
    child.stdout.on('data', (chunk) => {
      if (seen.includes(FIRST_FRAME)) return;
      seen += chunk.toString();
      if (seen.includes(FIRST_FRAME)) child.stdin.write('q');
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0 && fs.existsSync(out)) resolve();
      else reject(new Error(`code cache: the wizard ended with ${code} and wrote no cache; saw ${JSON.stringify(seen.slice(-300))}`));
    });
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}
