import { existsSync } from 'node:fs';

/** Flags for headless Chromium on a machine without network or GPU (see README, "Browser tests"). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
];

/** Path of the system Chromium: $CHROME_PATH, else /usr/bin/chromium; a clear error if neither exists. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => !!p,
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      'Browser tests need Chromium and none was found (looked at: ' +
        candidates.join(', ') +
        '). Install it with `sudo apt-get install -y chromium` on Debian/Ubuntu, or set CHROME_PATH.',
    );
  }
  return found;
}
