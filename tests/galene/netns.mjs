// A private network namespace for the Galene test: WebRTC needs an interface other than
// loopback, and nothing may leave the machine. The namespace holds a veth pair, both ends
// inside it, with addresses on both ends; Galene and the browsers run inside it, so every
// packet stays in the namespace.
//
// Needs root and iproute2's `ip`.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The two ends of the veth pair, both inside the namespace. */
export const SERVER_ADDRESS = '10.213.7.1';
export const PEER_ADDRESS = '10.213.7.2';
const PREFIX = 24;

function ip(args) {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
}

/** Whether this process can make namespaces (root with `ip` installed), and why not. */
export function namespaceSupport() {
  if (process.getuid?.() !== 0) return { ok: false, why: 'the Galene test needs root (it makes a network namespace)' };
  try {
    ip(['-V']);
  } catch {
    return { ok: false, why: "iproute2's `ip` is missing" };
  }
  return { ok: true, why: '' };
}

/**
 * Creates the namespace `name` with the veth pair and loopback up. Returns
 * `{name, wrap(path), pids(), destroy()}`: `wrap` writes an executable that runs `path`
 * inside the namespace (playwright launches Chromium through it); `destroy` ends what still
 * runs inside and deletes the namespace (and with it the veth pair). Idempotent.
 */
export function createNamespace(name) {
  ip(['netns', 'add', name]);
  const scripts = mkdtempSync(join(tmpdir(), 'backdrop-netns-'));
  let destroyed = false;
  const namespace = {
    name,
    /** Process ids inside the namespace (only ours: nothing else runs in it). */
    pids() {
      try {
        return ip(['netns', 'pids', name]).split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return [];
      }
    },
    wrap(path) {
      const wrapper = join(scripts, `in-${name}-${path.split('/').pop()}`);
      writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec '${name}' '${path}' "$@"\n`);
      chmodSync(wrapper, 0o755);
      return wrapper;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const pid of namespace.pids()) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
      try { ip(['netns', 'del', name]); } catch { /* already gone */ }
      rmSync(scripts, { recursive: true, force: true });
    },
  };
  try {
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
    ip(['-n', name, 'link', 'add', 'bd0', 'type', 'veth', 'peer', 'name', 'bd1']);
    ip(['-n', name, 'addr', 'add', `${SERVER_ADDRESS}/${PREFIX}`, 'dev', 'bd0']);
    ip(['-n', name, 'addr', 'add', `${PEER_ADDRESS}/${PREFIX}`, 'dev', 'bd1']);
    ip(['-n', name, 'link', 'set', 'bd0', 'up']);
    ip(['-n', name, 'link', 'set', 'bd1', 'up']);
  } catch (err) {
    namespace.destroy();
    throw new Error(`setting up network namespace ${name} failed: ${err.stderr || err.message}`);
  }
  return namespace;
}
