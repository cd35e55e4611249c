import { h } from './dom';

/** A modal asking for a bearer token; resolves null when cancelled. */
export function promptForToken(reason: string): Promise<string | null> {
  return new Promise((resolve) => {
    const input = h('input', { class: 'text', type: 'password', placeholder: 'token', autocomplete: 'off', 'data-testid': 'token-input', style: { width: '100%' } });
    const done = (v: string | null) => {
      back.remove();
      resolve(v);
    };
    const form = h(
      'form',
      { class: 'modal', role: 'dialog', 'aria-modal': 'true', onsubmit: (e: Event) => { e.preventDefault(); if (input.value.trim()) done(input.value.trim()); } },
      h('h2', {}, 'This Hearth server needs a token'),
      h('p', {}, reason || 'Every API call must carry a bearer token.'),
      h('p', {}, 'It is kept in this browser (localStorage) and sent as Authorization: Bearer.'),
      input,
      h('div', { class: 'row', style: { justifyContent: 'flex-end' } }, h('button', { class: 'btn', type: 'button', onclick: () => done(null) }, 'Cancel'), h('button', { class: 'btn primary', type: 'submit' }, 'Use token')),
    );
    const back = h('div', { class: 'modal-back' }, form);
    document.body.append(back);
    input.focus();
  });
}
