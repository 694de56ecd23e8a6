// The public page: path routing over the views (/, /search, /entities/{id}, /plans, /plans/{id},
// /stats), the language switch, and focus management (a view change moves focus to its heading).
import { lang, setLang, t } from './i18n.js';
import { notFound } from './views/common.js';
import { searchView } from './views/search.js';
import { entityView } from './views/entity.js';
import { planListView, planView } from './views/plans.js';
import { statsView } from './views/stats.js';

const main = document.getElementById('main');
let token = 0;

function route(path) {
  let seg;
  try {
    seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch (e) {
    return ['', () => notFound()];
  }
  if (!seg.length || (seg.length === 1 && seg[0] === 'search')) return ['search', searchView];
  if (seg[0] === 'entities' && seg.length === 2) return ['search', (ctx) => entityView(ctx, seg[1])];
  if (seg[0] === 'plans' && seg.length === 1) return ['plans', planListView];
  if (seg[0] === 'plans' && seg.length === 2) return ['plans', (ctx) => planView(ctx, seg[1])];
  if (seg[0] === 'stats' && seg.length === 1) return ['stats', statsView];
  return ['', () => notFound()];
}

// Renders the view of the current location. focus: 'heading' (after a navigation), a CSS selector, or
// false (the first load: focus stays where the browser puts it, so Tab starts at the skip link).
export async function render(focus = false) {
  const mine = ++token;
  const [nav, view] = route(location.pathname);
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  main.setAttribute('aria-busy', 'true');
  const out = await view({ params: new URLSearchParams(location.search), navigate });
  if (mine !== token) return;  // a later navigation won
  main.replaceChildren(...[out.node].flat());
  main.removeAttribute('aria-busy');
  document.title = out.title + ' · ' + t('site');
  const target = focus && (main.querySelector(focus === 'heading' ? 'h1' : focus) || main.querySelector('h1'));
  if (target) {
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
  }
}

export function navigate(url, focus = 'heading') {
  history.pushState(null, '', url);
  window.scrollTo(0, 0);
  render(focus);
}

function chrome() {
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of document.querySelectorAll('[data-t-label]')) el.setAttribute('aria-label', t(el.dataset.tLabel));
  const b = document.getElementById('lang');
  b.textContent = t('switch_lang');
  b.setAttribute('lang', lang() === 'en' ? 'zh-CN' : 'en');
  b.setAttribute('aria-label', t('switch_lang_label'));
}

// Same-origin links to the page's views are followed without a reload; the API, downloads, new tabs
// and modified clicks are left to the browser.
document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[href]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  if (a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || a.getAttribute('href').startsWith('#')) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', () => render('heading'));
document.getElementById('lang').addEventListener('click', () => {
  setLang(lang() === 'en' ? 'zh' : 'en');
  chrome();
  render(false);
});

setLang(lang());
chrome();
render(false);
