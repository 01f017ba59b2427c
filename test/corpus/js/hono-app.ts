// @ts-nocheck — corpus file: analysed by Shippi, not compiled (its imports are not installed).
// A Hono app: request data comes from the context's `req` accessors.
import { Hono } from 'hono';
import { readFile } from 'node:fs/promises';

const app = new Hono();

app.get('/docs/:page', async (c) => {
  const page = c.req.param('page');
  const text = await readFile(`./docs/${page}.md`, 'utf8'); // expect: path-traversal.request-path
  const index = await readFile('./docs/index.md', 'utf8');
  return c.html(text + index);
});

app.get('/login/done', (c) => {
  const next = c.req.query('next');
  if (next?.startsWith('/') && !next.startsWith('//')) return c.redirect(next);
  return c.redirect(c.req.query('fallback') ?? '/'); // expect: redirect.open-redirect
});

app.post('/preview', async (c) => {
  const { url } = await c.req.json();
  const page = await fetch(url); // expect: ssrf.request-url
  const status = await fetch('https://status.example.com/health');
  return c.text(`${page.status} ${status.status}`);
});

export default app;
