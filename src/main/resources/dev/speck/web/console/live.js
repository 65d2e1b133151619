import {api} from './api.js';

const POLL_MS = 3000;

/**
 * Calls onHit(event) for each hit of the pixel as it arrives: over server-sent events from
 * /live, or, where this Speck has no live endpoint, by asking for new stored events every few
 * seconds. onState('live' | 'polling' | 'reconnecting') says which. Returns a function that stops.
 */
export function watchHits(pixelId, onHit, onState = () => {}) {
  let stopped = false;
  let timer = null;
  let source = null;
  let opened = false;

  const poll = async (lastSeq) => {
    if (stopped) return;
    let next = lastSeq;
    try {
      const page = await api.events(pixelId, 50);
      const events = (page.events || []).slice().reverse();
      for (const e of events) {
        if (lastSeq !== null && Number(e.seq) > lastSeq) onHit(e);
        next = Math.max(next ?? -1, Number(e.seq));
      }
    } catch (e) {
      // keep trying: the server may be restarting
    }
    if (!stopped) timer = setTimeout(() => poll(next), POLL_MS);
  };

  const startPolling = async () => {
    onState('polling');
    let baseline = -1;
    try {
      const page = await api.events(pixelId, 1);
      if (page.events && page.events.length) baseline = Number(page.events[0].seq);
    } catch (e) {
      baseline = -1;
    }
    poll(baseline);
  };

  if (typeof EventSource === 'function') {
    source = new EventSource(api.liveUrl(pixelId));
    source.onopen = () => { opened = true; onState('live'); };
    // Speck names each message "event: hit" (data: time, kind, name, url, channel, source, country,
    // deviceClass, browser, value, currency, test); its ": ping" comments never reach here
    source.addEventListener('hit', (message) => {
      let hit;
      try {
        hit = JSON.parse(message.data);
      } catch (e) {
        return;
      }
      onHit(hit);
    });
    source.onerror = () => {
      if (!opened || source.readyState === EventSource.CLOSED) {
        source.close();
        source = null;
        if (!stopped && !timer) startPolling();
      } else {
        onState('reconnecting');
      }
    };
  } else {
    startPolling();
  }

  return () => {
    stopped = true;
    if (source) source.close();
    if (timer) clearTimeout(timer);
  };
}

/** One line describing a hit, for live lists. */
export function describeHit(e) {
  const when = e.time;
  const parts = [e.kind || 'hit'];
  if (e.name) parts.push(e.name);
  if (e.url) parts.push(e.url);
  if (e.title) parts.push(`“${e.title}”`);
  if (e.value !== null && e.value !== undefined) parts.push(`${e.value}${e.currency ? ` ${e.currency}` : ''}`);
  if (e.country) parts.push(e.country);
  if (e.test) parts.push('test');
  // a hit that is not a person's is marked with its verdict (it counts in no report of people)
  else if (e.verdict && e.verdict !== 'human') parts.push(`not counted: ${e.verdict}`);
  return {when, text: parts.join(' · ')};
}
