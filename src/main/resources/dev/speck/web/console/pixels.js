import {api} from './api.js';
import {el, clear, field, notice, section, table, announce} from './dom.js';

/** The pixels list: create, rename, disable or enable, delete. */
export async function pixelsPage(view, ctx) {
  const status = el('div', {'aria-live': 'polite'});
  const listArea = el('div');
  view.append(el('h1', {}, 'Pixels'), status, createForm(status), section('Your pixels', listArea));
  await refresh(listArea, status, ctx);
}

function parseOrigins(text) {
  return text.split(/[\s,]+/).map((s) => s.trim().replace(/\/+$/, '')).filter(Boolean);
}

function createForm(status) {
  const name = el('input', {type: 'text', name: 'name', required: true, maxlength: 200, autocomplete: 'off'});
  const origins = el('textarea', {name: 'allowedOrigins', rows: 2, placeholder: 'https://shop.example.com'});
  const form = el('form', {class: 'create-pixel'},
    el('div', {class: 'row'}, field('Name', name)),
    field('Allowed origins (one per line; empty = any site)', origins,
      'Only pages on these sites may send hits with the JS tag.'),
    el('div', {class: 'actions'}, el('button', {type: 'submit'}, 'Create pixel')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    try {
      const pixel = await api.createPixel({name: name.value.trim(), allowedOrigins: parseOrigins(origins.value)});
      announce(`Pixel ${pixel.name} created`);
      location.hash = `#/pixels/${encodeURIComponent(pixel.id)}`;
    } catch (e) {
      status.append(notice(e.message, 'error'));
    }
  });
  return section('Create a pixel', form);
}

async function refresh(listArea, status, ctx) {
  const pixels = await api.pixels();
  if (!ctx.isCurrent()) return;
  clear(listArea);
  if (!pixels.length) {
    listArea.append(el('p', {class: 'muted'}, 'No pixels yet. Create one above to get its snippet.'));
    return;
  }
  const again = () => refresh(listArea, status, ctx);
  listArea.append(table(['Name', 'Status', 'Allowed origins', 'Actions'],
    pixels.map((p) => pixelRow(p, status, again)), {caption: 'Pixels'}));
}

function pixelRow(pixel, status, again) {
  const href = `#/pixels/${encodeURIComponent(pixel.id)}`;
  const nameCell = el('td', {}, el('a', {href, class: 'pixel-name'}, pixel.name), el('div', {class: 'muted'}, pixel.id));
  const actions = el('div', {class: 'actions'});
  const tr = el('tr', {'data-pixel': pixel.id}, nameCell,
    el('td', {}, el('span', {class: `badge ${pixel.enabled ? 'on' : 'off'}`}, pixel.enabled ? 'Enabled' : 'Disabled')),
    el('td', {}, (pixel.allowedOrigins || []).length ? pixel.allowedOrigins.join(', ') : 'any site'),
    el('td', {}, actions));

  const run = async (what, done) => {
    clear(status);
    try {
      await what();
      announce(done);
      await again();
    } catch (e) {
      status.append(notice(e.message, 'error'));
    }
  };

  const rename = el('button', {type: 'button', class: 'secondary', 'aria-label': `Rename ${pixel.name}`}, 'Rename');
  rename.addEventListener('click', () => {
    const input = el('input', {type: 'text', value: pixel.name, maxlength: 200, 'aria-label': `New name for ${pixel.name}`});
    const form = el('form', {class: 'row'}, input,
      el('button', {type: 'submit'}, 'Save'),
      el('button', {type: 'button', class: 'secondary', onclick: () => again()}, 'Cancel'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      run(() => api.updatePixel(pixel.id, {name: input.value.trim()}), 'Pixel renamed');
    });
    nameCell.replaceChildren(form);
    input.focus();
  });

  const toggle = el('button', {type: 'button', class: 'secondary'}, pixel.enabled ? 'Disable' : 'Enable');
  toggle.addEventListener('click', () =>
    run(() => api.updatePixel(pixel.id, {enabled: !pixel.enabled}), pixel.enabled ? 'Pixel disabled' : 'Pixel enabled'));

  const remove = el('button', {type: 'button', class: 'danger', 'aria-label': `Delete ${pixel.name}`}, 'Delete');
  remove.addEventListener('click', () => {
    const yes = el('button', {type: 'button', class: 'danger'}, 'Yes, delete');
    const no = el('button', {type: 'button', class: 'secondary'}, 'Keep it');
    yes.addEventListener('click', async () => {
      clear(status);
      try {
        await api.deletePixel(pixel.id);
        announce('Pixel deleted');
        await again();
      } catch (e) {
        status.append(notice(e.message, 'error'));
        again();
      }
    });
    no.addEventListener('click', () => again());
    actions.replaceChildren(el('span', {role: 'alert'},
      'Delete this pixel, its goals and links, and stop recording its hits? Its stored hits stay.'), yes, no);
    no.focus();
  });

  actions.append(rename, toggle, remove);
  return tr;
}
