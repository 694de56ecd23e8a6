#!/usr/bin/env node
// The public web page in Chromium, against the server and data web_e2e.py seeded (its fixture JSON):
//   node web_e2e.mjs FIXTURE.json
// Every view, cold, on a phone (390x844) and a desktop (1280x900): the CSP header and no CSP violation,
// console error or page error; one API request per view, only to /api/v1/public/, nothing elsewhere;
// under 200 KB transferred; no horizontal scrolling (also at 320 px and at 200% zoom); text contrast
// >= 4.5:1; landmarks, one h1, a label on every input; no internal value (officers' certificate
// numbers and names, scores, contacts, notes, objection codes, reviewers' reasons) anywhere in the
// document and no credit class outside the plan's published sampling policy; a full-page screenshot
// of each (and of its first screen). Then the content of each view, paging, the keyboard-only path from search to an entity,
// the English switch, the not-found views, and the bundle: downloaded from the flat plan's page and
// verified with `suiji verify` and docs/verify_draw.py (MATCH); refused politely for the other.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { DESKTOP, PHONE, launch } from './browser.mjs';

const fx = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const LIMIT = 200 * 1024;
// A credit class named as an entity's: only the plan's sampling table ([data-policy]) may say "D 类".
const CLASS_TEXT = /[ABCD]\s*类|信用风险(低|一般|较高|高)|\bclass [ABCD]\b|credit[- ]risk class [ABCD]/i;
const failures = [];
let passed = 0;
const sizes = [];

function check(cond, what) {
  if (cond) passed++;
  else {
    failures.push(what);
    console.error('FAIL: ' + what);
  }
  return cond;
}

mkdirSync(fx.shots, { recursive: true });
const browser = await launch();

// `url` in a fresh context (cold cache), with what it requested, logged and transferred.
async function open(url, device, { expectErrors = false } = {}) {
  const ctx = await browser.newContext({ ...device, acceptDownloads: true, locale: 'zh-CN' });
  const page = await ctx.newPage();
  const info = { bytes: 0, api: [], errors: [], elsewhere: [], expectErrors };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') info.errors.push(m.type() + ': ' + m.text());
  });
  page.on('pageerror', (e) => info.errors.push('pageerror: ' + e.message));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol === 'data:') return;
    if (u.origin !== fx.base) info.elsewhere.push(r.url());
    else if (u.pathname.startsWith('/api/')) info.api.push(u.pathname + u.search);
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  });
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  cdp.on('Network.loadingFinished', (e) => { info.bytes += e.encodedDataLength; });
  info.response = await page.goto(fx.base + url, { waitUntil: 'networkidle' });
  await page.waitForSelector('main:not([aria-busy])', { timeout: 15000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));  // charts drawn
  return { ctx, page, info };
}

// After a navigation inside the page (pushState: no load event), the new view is rendered.
const ready = (page) => page.waitForSelector('main:not([aria-busy])', { timeout: 15000 });

// What every view must satisfy, whatever it shows.
async function common(name, device, url, page, info) {
  const where = name + ' (' + device + ')';
  check(info.response.status() === 200, where + ': HTTP ' + info.response.status());
  check(info.response.headers()['content-security-policy'] === CSP, where + ': the CSP header');
  check(info.response.headers()['x-frame-options'] === 'DENY' && info.response.headers()['referrer-policy'] === 'no-referrer' &&
        info.response.headers()['x-content-type-options'] === 'nosniff', where + ': the security headers');
  check((await page.evaluate(() => window.__csp)).length === 0, where + ': CSP violations ' + (await page.evaluate(() => window.__csp)));
  if (!info.expectErrors) check(info.errors.length === 0, where + ': console: ' + info.errors.join(' | '));
  check(info.elsewhere.length === 0, where + ': requests elsewhere: ' + info.elsewhere);
  check(info.api.length === 1 && info.api[0].startsWith('/api/v1/public/'), where + ': one public API request: ' + info.api);
  check(info.bytes > 0 && info.bytes < LIMIT, where + ': ' + info.bytes + ' bytes transferred');
  sizes.push([where, info.bytes]);
  const doc = await page.evaluate(() => {
    const text = (root, skipPolicy) => {
      const c = root.cloneNode(true);
      if (skipPolicy) for (const e of c.querySelectorAll('[data-policy]')) e.remove();
      const labels = [...c.querySelectorAll('[aria-label],[title]')].map((e) => e.getAttribute('aria-label') || e.getAttribute('title'));
      return c.textContent + '\n' + labels.join('\n');
    };
    const unlabeled = [...document.querySelectorAll('input, select, textarea')]
      .filter((e) => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map((e) => e.name || e.id);
    return {
      html: document.documentElement.outerHTML, text: text(document.body, true),
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      landmarks: ['header.site', 'main#main', 'nav[aria-label]', 'footer.site'].map((s) => document.querySelectorAll(s).length),
      h1: document.querySelectorAll('h1').length, unlabeled, lang: document.documentElement.lang,
    };
  });
  for (const v of fx.forbidden_values) check(!doc.html.includes(v), where + ': internal value ' + JSON.stringify(v) + ' on the page');
  const cls = doc.text.match(CLASS_TEXT);
  check(!cls, where + ': a credit class on the page: ' + (cls && doc.text.slice(Math.max(0, cls.index - 40), cls.index + 20)));
  check(doc.overflow <= 1, where + ': scrolls sideways by ' + doc.overflow + ' px');
  check(doc.landmarks.every((n) => n === 1) && doc.h1 === 1, where + ': landmarks ' + doc.landmarks + ', h1 ' + doc.h1);
  check(doc.unlabeled.length === 0, where + ': inputs without a label: ' + doc.unlabeled);
  check(doc.lang === 'zh-CN', where + ': lang ' + doc.lang);
  const low = await page.evaluate(() => {
    const parse = (s) => {
      const m = /rgba?\(([^)]+)\)/.exec(s || '');
      if (!m) return null;
      const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return { rgb: p.slice(0, 3), a: p.length > 3 ? p[3] : 1 };
    };
    const lum = (rgb) => {
      const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0.5) return c.rgb;
      }
      return [255, 255, 255];
    };
    const out = [];
    const seen = new Set();
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
      const el = walk.currentNode.parentElement;
      if (!walk.currentNode.textContent.trim() || seen.has(el)) continue;
      seen.add(el);
      const box = el.getBoundingClientRect();
      const st = getComputedStyle(el);
      if (box.width < 2 || box.height < 2 || st.visibility === 'hidden' || el.closest('noscript, title')) continue;
      const fg = parse(el.closest('svg') ? st.fill : st.color);
      if (!fg) continue;
      const [a, b] = [lum(fg.rgb), lum(background(el))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) out.push(el.tagName + ' "' + walk.currentNode.textContent.trim().slice(0, 24) + '" ' + ratio.toFixed(2));
    }
    return out;
  });
  check(low.length === 0, where + ': contrast below 4.5:1: ' + low.join('; '));
  await page.screenshot({ path: path.join(fx.shots, name + '-' + device + '.png'), fullPage: true });
  await page.screenshot({ path: path.join(fx.shots, name + '-' + device + '-top.png') });  // the first screen
}

const e = fx.entity;
const views = [
  ['search', '/'],
  ['search-name', '/search?name=' + encodeURIComponent(fx.name_part)],
  ['search-code', '/search?code=' + encodeURIComponent(e.id)],
  ['entity', '/entities/' + encodeURIComponent(e.id)],
  ['plans', '/plans'],
  ['plan', '/plans/' + encodeURIComponent(fx.plan.id)],
  ['plan-flat', '/plans/' + encodeURIComponent(fx.flat_plan.id)],
  ['stats', '/stats'],
];
const content = {
  async search(page) {
    check(await page.locator('#results-title').innerText() === '共 ' + fx.published + ' 条结果', 'search: the total');
    check(await page.locator('ol.results > li').count() === Math.min(20, fx.published), 'search: one card per result');
    check(await page.locator('#f-name').getAttribute('name') === 'name' && await page.locator('label[for=f-name]').count() === 1,
          'search: the name field and its label');
  },
  async 'search-name'(page) {
    check(await page.locator(`ol.results a[href="/entities/${e.id}"]`).count() >= 1, 'search by name finds ' + e.name);
    check(await page.locator('#f-name').inputValue() === fx.name_part, 'search by name: the field keeps the query');
  },
  async 'search-code'(page) {
    check(await page.locator('#results-title').innerText() === '共 1 条结果', 'search by code: one result');
    check(await page.locator(`ol.results a[href="/entities/${e.id}"]`).innerText() === e.name, 'search by code: the entity');
  },
  async entity(page) {
    const text = await page.locator('main').innerText();
    check(await page.locator('h1').innerText() === e.name, 'entity: its name');
    for (const want of [fx.correction_reason, '第 2 版（已更正）', '成立（已更正）', '原始公示', fx.listing.label, fx.listing.reason,
                        '正在实施的联合惩戒措施', '依法限制参加政府采购活动', '发现问题已责令改正'])
      check(text.includes(want), 'entity: shows ' + want);
    check(await page.locator('table:has(caption:text("历史版本")) tbody tr').count() === 2, 'entity: two versions in the history');
  },
  async plans(page) {
    const text = await page.locator('main').innerText();
    for (const id of [fx.plan.id, fx.flat_plan.id, '510100-SAMR-2027-WEB-NEXT']) check(text.includes(id), 'plans: lists ' + id);
    check(text.includes('尚未抽取'), 'plans: a plan not drawn yet');
  },
  async plan(page, info) {
    check(await page.locator('#bundle-refused').isVisible() && await page.locator('#bundle-link').count() === 0,
          'class-stratified plan: the bundle is refused with its reason, no link');
    check((await page.locator('#bundle-refused').innerText()).includes('信用风险分类'), 'the reason is given');
    check(await page.locator('[data-policy] tbody tr').count() === 5, 'the sampling policy per class is shown');
    check(!info.api.some((u) => u.includes('/bundle')), 'no bundle request for a class-stratified plan');
    check(await page.locator('ol.drawn li').count() >= fx.published, 'the entities drawn are listed');
  },
  async 'plan-flat'(page) {
    const text = await page.locator('main').innerText();
    const d = fx.flat_plan.draw;
    check(await page.locator('#bundle-link').getAttribute('href') === '/api/v1/public/draws/' + d + '/bundle', 'the bundle link');
    for (const want of ['tar xf ' + d + '.tar', 'suiji verify ' + d, 'python3 docs/verify_draw.py ' + d, '自己核验这次抽取',
                        fx.flat_plan.substitution_reason, '全部对象（不分层）'])
      check(text.includes(want), 'flat plan: shows ' + want);
    check(await page.locator(`ol.drawn a[href="/entities/${fx.flat_plan.substituted}"]`).count() === 0,
          'the entity substituted out is not among those drawn');
    await page.locator('section[aria-labelledby=sec-latest]').screenshot({ path: path.join(fx.shots, 'plan-flat-draw-desktop.png') });
  },
  async stats(page) {
    check(await page.locator('figure.chart svg[role=img]').count() === 5, 'stats: five SVG charts');
    check(await page.locator('figure.chart table').count() === 5, 'stats: five tables');
    check(await page.locator('figure.chart svg rect.bar').count() >= 5, 'stats: bars drawn');
    check((await page.locator('dl.tiles dd').first().innerText()) === String(fx.published), 'stats: the count published');
  },
};

for (const [name, url] of views)
  for (const [device, opts] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const { ctx, page, info } = await open(url, opts);
    await common(name, device, url, page, info);
    if (device === 'desktop') await content[name](page, info);
    await ctx.close();
  }

// Reflow: at 320 CSS px (WCAG 1.4.10) and at 200% zoom of the desktop (640x450 CSS px), nothing scrolls sideways.
for (const viewport of [{ width: 320, height: 640 }, { width: 640, height: 450 }]) {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  for (const [name, url] of views) {
    await page.goto(fx.base + url, { waitUntil: 'networkidle' });
    await ready(page);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(over <= 1, name + ' at ' + viewport.width + ' px: scrolls sideways by ' + over);
  }
  await ctx.close();
}

// Paging: keyset pages with the total; the next page is one more request.
{
  const { ctx, page, info } = await open('/search?limit=10', DESKTOP);
  check(await page.locator('ol.results > li').count() === 10, 'paging: 10 on the first page');
  const first = await page.locator('ol.results > li h3').allInnerTexts();
  await page.click('a[rel=next]');
  await page.waitForFunction(() => location.search.includes('after='));
  await ready(page);
  const second = await page.locator('ol.results > li h3').allInnerTexts();
  check(second.length === fx.published - 10 && !second.some((x) => first.includes(x)), 'paging: the rest on the second page');
  check((await page.locator('#results-title').innerText()).includes('第 2 页') && await page.locator('.pager a').count() === 1,
        'paging: page 2 with a link to the first');
  check(info.api.length === 2 && info.api[1].includes('after='), 'paging: one request for the next page: ' + info.api);
  await ctx.close();
}

// Keyboard only: Tab to the skip link, to the name field, type, Enter; Tab to the result, Enter.
{
  const { ctx, page } = await open('/', DESKTOP);
  const active = () => page.evaluate(() => {
    const a = document.activeElement;
    const st = getComputedStyle(a);
    return { id: a.id, cls: a.className, tag: a.tagName, href: a.getAttribute('href'), outline: st.outlineStyle + ' ' + st.outlineWidth };
  });
  await page.keyboard.press('Tab');
  let a = await active();
  check(a.cls === 'skip', 'keyboard: the first Tab reaches the skip link: ' + JSON.stringify(a));
  for (let i = 0; i < 30 && a.id !== 'f-name'; i++) {
    await page.keyboard.press('Tab');
    a = await active();
  }
  check(a.id === 'f-name', 'keyboard: Tab reaches the name field');
  check(!a.outline.startsWith('none') && parseFloat(a.outline.split(' ')[1]) >= 2, 'keyboard: focus is visible: ' + a.outline);
  await page.keyboard.type(fx.name_part);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.pathname === '/search' && location.search.startsWith('?name='));
  await ready(page);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'results-title');
  const target = '/entities/' + e.id;
  for (let i = 0; i < 40 && a.href !== target; i++) {
    await page.keyboard.press('Tab');
    a = await active();
  }
  check(a.href === target, 'keyboard: Tab reaches the result ' + target);
  await page.keyboard.press('Enter');
  await page.waitForFunction((t) => location.pathname === t, target);
  await ready(page);
  check(await page.locator('h1').innerText() === e.name, 'keyboard: Enter opens the entity page');
  check((await active()).tag === 'H1', 'keyboard: focus moves to the new page\'s heading');
  // Back, and the language switch by keyboard: English, kept on reload, and back to Chinese.
  await page.goBack();
  await ready(page);
  check((await page.locator('#results-title').innerText()).includes('条结果'), 'history: back to the results');
  await page.focus('#lang');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await ready(page);
  check(await page.locator('h1').innerText() === 'Search inspection results', 'English: the heading');
  check(await page.locator('nav a[data-nav=plans]').innerText() === 'Inspection plans', 'English: the navigation');
  await page.reload({ waitUntil: 'networkidle' });
  await ready(page);
  check(await page.evaluate(() => document.documentElement.lang) === 'en', 'English: kept on a reload');
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await ctx.close();
}

// Not found and invalid searches: said politely, in the page.
for (const [url, want] of [['/entities/NO-SUCH-ENTITY', '未找到'], ['/plans/NO-SUCH-PLAN', '未找到']]) {
  const { ctx, page } = await open(url, PHONE, { expectErrors: true });
  check(await page.locator('h1').innerText() === want, url + ': ' + want);
  await ctx.close();
}
{
  const { ctx, page } = await open('/search?region=51', PHONE, { expectErrors: true });
  check(await page.locator('[role=alert]').count() === 1 && (await page.locator('[role=alert]').innerText()).includes('region'),
        'an invalid search says which field');
  await ctx.close();
}

// The bundle of the flat plan: downloaded from its page, unpacked, verified by both verifiers.
{
  const { ctx, page } = await open('/plans/' + encodeURIComponent(fx.flat_plan.id), DESKTOP);
  const d = fx.flat_plan.draw;
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#bundle-link')]);
  const dir = path.join(fx.work, 'web-bundle');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = path.join(dir, download.suggestedFilename());
  await download.saveAs(tar);
  check(download.suggestedFilename() === d + '.tar', 'the download is named ' + download.suggestedFilename());
  execFileSync('tar', ['xf', tar], { cwd: dir });
  const cpp = spawnSync(fx.suiji, ['verify', path.join(dir, d)], { encoding: 'utf8' });
  check(cpp.status === 0 && /MATCH/.test(cpp.stdout), 'suiji verify: ' + cpp.stdout.slice(-200) + cpp.stderr.slice(-200));
  const py = spawnSync('/usr/bin/python3', [path.join(fx.root, 'docs/verify_draw.py'), path.join(dir, d)], { encoding: 'utf8' });
  check(py.status === 0 && /MATCH/.test(py.stdout), 'docs/verify_draw.py: ' + py.stdout.slice(-200) + py.stderr.slice(-200));
  const bundle = JSON.parse(readFileSync(path.join(dir, d, 'bundle.json'), 'utf8'));
  const shown = await page.locator('dl.hashes code').allInnerTexts();
  check(shown.includes(bundle.draw.commitment_digest) && shown.includes(bundle.draw.seed_hash),
        'the page shows the commitment and seed hash of the bundle');
  await ctx.close();
}

// The page's result vocabulary is data/reference/inspection_results.csv.
{
  const { RESULTS } = await import(pathToFileURL(path.join(fx.root, 'web/js/vocab.js')).href);
  const rows = readFileSync(path.join(fx.root, 'data/reference/inspection_results.csv'), 'utf8').trim().split('\n').slice(1)
    .map((l) => l.split(','));
  check(JSON.stringify(RESULTS.map((r) => [r.code, r.problem ? '1' : '0', r.zh, r.en])) ===
        JSON.stringify(rows.map((r) => [r[0], r[2], r[3], r[4]])), 'web/js/vocab.js RESULTS match inspection_results.csv');
}

await browser.close();
writeFileSync(path.join(fx.shots, 'sizes.txt'), sizes.map(([w, b]) => w + '\t' + b + '\n').join(''));
console.log('page weight (bytes transferred, cold): ' + sizes.map(([w, b]) => w + ' ' + b).join(', '));
console.log('screenshots: ' + fx.shots);
console.log(passed + ' passed, ' + failures.length + ' failed');
process.exit(failures.length ? 1 : 0);
