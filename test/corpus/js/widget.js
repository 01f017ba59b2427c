// Browser widget: postMessage, URL fragments, templating.
const API = 'https://api.example.com';

window.addEventListener('message', (event) => {
  if (event.origin !== 'https://app.example.com') return;
  const html = event.data.html;
  document.querySelector('#preview').innerHTML = html; // expect: xss.dom-sink
});

function renderList(container, items) {
  const escape = (s) => s.replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
  container.innerHTML = items.map((i) => `<li>${escape(i.name)}</li>`).join('');
  container.insertAdjacentHTML('beforeend', '<li class="more">More…</li>');
  container.insertAdjacentHTML('afterbegin', `<li>${items[0].name}</li>`); // expect: xss.dom-sink
}

async function loadUser() {
  const id = new URLSearchParams(location.search).get('id');
  const res = await fetch(`${API}/users/${encodeURIComponent(id)}`);
  const user = await res.json();
  document.getElementById('name').textContent = user.name;
  const next = location.hash.slice(1);
  if (next) location.assign(next); // expect: redirect.open-redirect
}

function schedule(task) {
  setInterval('refresh(' + task.id + ')', 1000); // expect: injection.eval
  setInterval(() => refresh(task.id), 1000);
}

function trackingId() {
  const id = 'trk_' + Math.random().toString(36).slice(2, 10); // expect: crypto.insecure-random
  return id;
}

function animate(el) {
  const offset = Math.random() * 20 - 10;
  el.style.transform = `translateX(${offset}px)`;
}

function setupTls(https) {
  return https.request({ host: 'internal.example', checkServerIdentity: () => undefined }); // expect: tls.reject-unauthorized-disabled
}

function template(str, data) {
  return str.replace(/\{(\w+)\}/g, (_, k) => data[k] ?? '');
}
