/* Speck tag: records page views (also in single-page apps), events and goals; honours consent and opt-out. No dependencies.
   Calls made before it loads are queued by the snippet's stub: speck('event', name, props). */
(function (w, d) {
  'use strict';
  var me = d.currentScript || (function () {
    var s = d.getElementsByTagName('script');
    for (var i = s.length - 1; i >= 0; i--) if (/\/p\/[\w-]+\.js/.test(s[i].src)) return s[i];
  })();
  if (!me) return;
  var m = /^(https?:\/\/[^/]+)\/p\/([\w-]+)\.js/.exec(me.src);
  if (!m || (w.speck && w.speck.loaded)) return;
  var base = m[1], pixel = m[2], queue = [], timer = 0, lastUrl = null;
  var endpoint = base + '/p/' + pixel + '/events';
  var tz;
  try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { tz = undefined; }

  /* Privacy: consent and opt-out are remembered on the site's own origin (localStorage). A random
     first-party id exists only after consent, only for pixels in first-party mode, and goes on denial. */
  var firstParty = /*speck:fp*/false;
  function stored(k, v) {
    try {
      if (v === undefined) return localStorage.getItem('speck_' + k);
      if (v === null) localStorage.removeItem('speck_' + k); else localStorage.setItem('speck_' + k, v);
    } catch (e) { return null; }
  }
  function visitorId() {
    if (!firstParty || stored('consent') !== 'granted') return undefined;
    var id = stored('id'), b;
    if (!id && w.crypto && crypto.getRandomValues) {
      b = crypto.getRandomValues(new Uint8Array(16)); id = '';
      for (var i = 0; i < 16; i++) id += (b[i] + 256).toString(16).slice(1);
      stored('id', id);
    }
    return id || undefined;
  }
  function privacy(cmd, value) {
    if (cmd === 'consent' && (value === 'granted' || value === 'denied')) {
      stored('consent', value);
      if (value === 'denied') stored('id', null);
    } else if (cmd === 'optout') {
      stored('optout', '1'); stored('id', null); queue.length = 0;
    } else if (cmd === 'optin') {
      stored('optout', null);
    } else return false;
    return true;
  }

  function common(type) {
    var s = w.screen || {};
    return {
      type: type, url: location.href, referrer: d.referrer || undefined, title: d.title || undefined,
      screen: s.width ? s.width + 'x' + s.height : undefined, lang: navigator.language || undefined, tz: tz,
      consent: stored('consent') || undefined, fpid: visitorId(), wd: navigator.webdriver ? 1 : undefined
    };
  }

  function clean(props) {
    var out = {}, n = 0;
    if (props && typeof props === 'object') {
      for (var k in props) {
        var v = props[k];
        if (Object.prototype.hasOwnProperty.call(props, k) && v != null && typeof v !== 'object' && n++ < 30) out[k] = String(v);
      }
    }
    return n ? out : undefined;
  }

  function enqueue(e) {
    if (stored('optout') === '1') return;
    if (who) e.identity = who;
    queue.push(e);
    if (queue.length >= 20) flush(); else if (!timer) timer = setTimeout(flush, 300);
  }

  function flush() {
    clearTimeout(timer); timer = 0;
    if (!queue.length) return;
    var batch = queue.splice(0, 50), body = JSON.stringify({ events: batch });
    if (navigator.sendBeacon && navigator.sendBeacon(endpoint, new Blob([body], { type: 'text/plain' }))) return;
    if (w.fetch) {
      fetch(endpoint, { method: 'POST', body: body, keepalive: true, mode: 'cors', credentials: 'omit',
        headers: { 'Content-Type': 'text/plain' } })['catch'](function () { batch.forEach(image); });
    } else batch.forEach(image);
  }

  /* The last resort: the image pixel takes the same fields (the identity too) as query parameters. */
  function image(e) {
    var i = e.identity || {}, q = ['k=' + e.type], map = { n: e.name, u: e.url, r: e.referrer, t: e.title, sr: e.screen, lang: e.lang, tz: e.tz, v: e.value, cur: e.currency, consent: e.consent, fpid: e.fpid, wd: e.wd, identity: i.id, sig: i.sig };
    for (var k in map) if (map[k] != null) q.push(k + '=' + encodeURIComponent(map[k]));
    for (var p in e.props || {}) q.push('p.' + encodeURIComponent(p) + '=' + encodeURIComponent(e.props[p]));
    new Image().src = base + '/p/' + pixel + '.gif?' + q.join('&');
  }

  function pageview() {
    if (location.href === lastUrl) return;
    lastUrl = location.href;
    enqueue(common('page_view'));
  }

  function api(cmd, name, props) {
    if (privacy(cmd, name)) return;
    if (cmd === 'event' || cmd === 'goal') {
      if (typeof name !== 'string' || !name) return;
      pageview(); /* a history change's page view, if still pending, must precede what happens on that page */
      var e = common(cmd);
      e.name = name.slice(0, 128);
      if (cmd === 'goal' && props) {
        if (typeof props.value === 'number' && isFinite(props.value)) e.value = props.value;
        if (typeof props.currency === 'string') e.currency = props.currency.toUpperCase();
        var rest = {};
        for (var k in props) if (k !== 'value' && k !== 'currency') rest[k] = props[k];
        props = rest;
      }
      e.props = clean(props);
      enqueue(e);
      if (cmd === 'goal') flush();
    } else if (cmd === 'identify') {
      identify(name, props);
    } else if (cmd === 'pageview') {
      lastUrl = null; pageview();
    }
  }

  /* speck('identify', id, signature): the site's backend signs the id with Speck's identity secret.
     The identity rides on this page's hits (the queued page view too); it is kept in memory only. */
  var who;
  function identify(id, sig) {
    if (id == null || id === '') return;
    who = { id: String(id).slice(0, 256), sig: sig == null ? undefined : String(sig).slice(0, 128) };
    queue.forEach(function (e) { e.identity = who; });
  }

  /* Single-page apps: a history change is a new page view. */
  ['pushState', 'replaceState'].forEach(function (f) {
    var orig = history[f];
    history[f] = function () { var r = orig.apply(this, arguments); setTimeout(pageview, 0); return r; };
  });
  w.addEventListener('popstate', pageview);
  d.addEventListener('visibilitychange', function () { if (d.visibilityState === 'hidden') flush(); });
  w.addEventListener('pagehide', flush);

  var pending = (w.speck && w.speck.q) || [];
  w.speck = function () { api.apply(null, arguments); };
  w.speck.loaded = true;
  /* Consent and opt-out calls made before the tag loaded apply to its first page view too. */
  for (var i = 0; i < pending.length; i++) if (privacy.apply(null, pending[i])) pending[i] = null;
  pageview();
  for (i = 0; i < pending.length; i++) if (pending[i]) api.apply(null, pending[i]);
})(window, document);
