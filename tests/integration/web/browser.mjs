// Chromium for the browser tests and shot.mjs: Debian's /usr/bin/chromium driven by playwright-core
// (npm ci in this folder, or in the folder SUIJI_NPM_PREFIX names); no browser is ever downloaded.
import { createRequire } from 'node:module';
import path from 'node:path';

const prefix = process.env.SUIJI_NPM_PREFIX || path.dirname(new URL(import.meta.url).pathname);
const { chromium } = createRequire(path.join(prefix, 'package.json'))('playwright-core');

export const CHROMIUM = process.env.SUIJI_CHROMIUM || '/usr/bin/chromium';
export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const launch = () => chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
export const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 };
