// The page reads only the anonymous public disclosure API (/api/v1/public/*), one request per view,
// so it cannot show anything that is not published.
const PUBLIC = '/api/v1/public/';

// {ok, status, body}; body is the JSON answer or the problem+json. A network failure is status 0.
export async function getPublic(path, params) {
  if (!path.startsWith(PUBLIC)) throw new Error('the page reads only ' + PUBLIC);
  const q = params && [...params].length ? '?' + params.toString() : '';
  try {
    const res = await fetch(path + q, { headers: { Accept: 'application/json' }, credentials: 'omit' });
    const type = res.headers.get('Content-Type') || '';
    const body = type.includes('json') ? await res.json() : null;
    return { ok: res.ok, status: res.status, body };
  } catch (e) {
    return { ok: false, status: 0, body: null };
  }
}

export const bundleUrl = (drawId) => PUBLIC + 'draws/' + encodeURIComponent(drawId) + '/bundle';
