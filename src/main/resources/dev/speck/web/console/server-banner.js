import {el} from './dom.js';
import {api} from './api.js';

// Over plain HTTP on a host other than this machine, hits and the pages they come from travel
// unencrypted, and browsers block such pixels on HTTPS sites: say so on every page, under the header.
export async function plainHttpBanner(header) {
  let server;
  try {
    server = await api.server();
  } catch (e) {
    return; // the pages themselves report an unreachable or refusing server
  }
  if (!server) return;
  header.dataset.scheme = server.scheme; // what the snippets use; the banner, if any, comes in the same step
  if (!server.plainHttpWarning) return;
  header.after(el('div', {class: 'notice warn banner', role: 'alert', id: 'plain-http-warning'},
    el('strong', {}, 'Not encrypted: '), server.plainHttpWarning, ' See "HTTPS" in docs/OPERATIONS.md.'));
}
