// Makes sure the system Chromium for browser tests exists: installs it with apt-get when running as root on
// Debian/Ubuntu, otherwise exits 1 with a message saying how. A browser test is never skipped silently.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  Boolean,
);
const found = () => candidates.find((p) => existsSync(p));

export function ensureChromium() {
  if (found()) return found();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (isRoot && hasApt) {
    console.log('[setup] Chromium not found: installing it with apt-get (Debian package "chromium")...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const opts = { stdio: 'inherit', env };
    spawnSync('apt-get', ['update', '-qq'], opts);
    const r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-noto-cjk'], opts);
    if (r.status === 0 && found()) return found();
  }
  console.error(
    '[setup] Browser tests need Chromium, and it is not installed (looked at: ' +
      candidates.join(', ') +
      ').\n        Install it: `sudo apt-get install -y chromium` (Debian/Ubuntu), or set CHROME_PATH to a Chromium binary.',
  );
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(`[setup] Chromium: ${ensureChromium()}`);
