#!/usr/bin/env node
// A screenshot of a served page, for the demo and the docs:
//   node tests/integration/web/shot.mjs URL OUT.png [WIDTHxHEIGHT] [--full]
// (after `npm ci` in tests/integration/web/, or with SUIJI_NPM_PREFIX naming a folder where it ran).
// Waits until the page has rendered its view (main is no longer aria-busy), then writes the PNG.
import { DESKTOP, launch } from './browser.mjs';

const [url, out, size = ''] = process.argv.slice(2).filter((a) => a !== '--full');
const full = process.argv.includes('--full');
if (!url || !out || (size && !/^\d+x\d+$/.test(size))) {
  console.error('usage: node shot.mjs URL OUT.png [WIDTHxHEIGHT] [--full]');
  process.exit(2);
}
const [width, height] = size ? size.split('x').map(Number) : [DESKTOP.viewport.width, DESKTOP.viewport.height];
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width, height }, isMobile: width < 600, hasTouch: width < 600 });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForSelector('main:not([aria-busy])', { timeout: 15000 }).catch(() => {});
  await page.screenshot({ path: out, fullPage: full });
  console.log('wrote ' + out + ' (' + width + 'x' + height + (full ? ', full page' : '') + ')');
} finally {
  await browser.close();
}
