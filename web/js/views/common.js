// What the views share: the error and not-found views, result badges, links to entities and plans.
import { h } from '../dom.js';
import { resultLabel, resultProblem, t } from '../i18n.js';

export function notFound(detail) {
  return { title: t('not_found'), node: [h('h1', { tabindex: -1 }, t('not_found')),
    h('p', {}, detail || t('not_found_page')), h('p', {}, h('a', { href: '/' }, t('back_home')))] };
}

// The view for a failed request: 404 is "not found"; anything else says so and offers a retry.
export function errorView(res, detail) {
  if (res.status === 404) return notFound(detail);
  return { title: t('error'), node: [h('h1', { tabindex: -1 }, t('error')),
    h('p', { role: 'alert' }, t('error') + (res.status ? ' (HTTP ' + res.status + ')' : '')),
    h('p', {}, h('a', { href: location.pathname + location.search, class: 'button' }, t('retry')))] };
}

export function resultBadge(result) {
  const problem = resultProblem(result.code);
  return h('span', { class: 'badge ' + (problem ? 'bad' : 'ok') }, resultLabel(result));
}

export const entityHref = (id) => '/entities/' + encodeURIComponent(id);
export const planHref = (id) => '/plans/' + encodeURIComponent(id);
export const entityLink = (id, name) => h('a', { href: entityHref(id) }, name || id);
