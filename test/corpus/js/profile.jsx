// A React component and some DOM code.
import React, { useEffect, useRef } from 'react';
import DOMPurify from 'dompurify';

export function Profile({ user, bioHtml }) {
  const ref = useRef(null);
  useEffect(() => {
    ref.current.innerHTML = '<h2>' + user.name + '</h2>'; // expect: xss.dom-sink
    ref.current.textContent = user.name;
    ref.current.innerHTML = '';
  }, [user]);
  return (
    <section className="profile">
      <p>Don't forget to update your profile, {user.name}!</p>
      <div dangerouslySetInnerHTML={{ __html: bioHtml }} /> {/* expect: xss.dom-sink */}
      <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(bioHtml) }} />
      <ul>{user.tags.map((t) => <li key={Math.random()}>{t}</li>)}</ul>
    </section>
  );
}

export function Banner() {
  const params = new URLSearchParams(window.location.search);
  const message = params.get('msg');
  document.getElementById('banner').innerHTML = message; // expect: xss.dom-sink
  document.getElementById('banner').innerText = message;
  const returnTo = params.get('returnTo');
  window.location.href = returnTo; // expect: redirect.open-redirect
  window.location.href = '/home';
  return null;
}

export function legacyWidget(items) {
  $('#list').html(items.map((i) => '<li>' + i + '</li>').join('')); // expect: xss.dom-sink
  $('#list').append('<li class="empty">Nothing here</li>');
  $('#title').text(items[0]);
  document.write('<script src="/analytics.js"></script>');
}

export function retryLater(fn) {
  const jitter = Math.random() * 250;
  setTimeout(fn, 1000 + jitter);
  setTimeout(() => fn(), 500);
}

export function makeNonce() {
  const nonce = Math.floor(Math.random() * 1e16).toString(16); // expect: crypto.insecure-random
  return nonce;
}
