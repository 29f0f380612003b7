// Runs a command that serves the demo and resolves once it prints its URL.

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Starts `command args` (by default the static server on a free port) and waits until it
 * prints `Backdrop demo: URL`. Returns `{url, stop, output}`.
 * @param {{command?: string, args?: string[], timeoutMs?: number, env?: object}} [options]
 */
export function startServer({
  command = process.execPath,
  args = [resolve(REPO_ROOT, 'scripts', 'serve.mjs'), '--port', '0'],
  timeoutMs = 30_000,
  env = {},
} = {}) {
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() ends the whole tree
  });
  let output = '';
  const stop = () => {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no URL printed within ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = /Backdrop demo: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ url: match[1], stop, get output() { return output; } });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before printing its URL; output:\n${output}`));
    });
  });
}
