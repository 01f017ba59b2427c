// An Express API with the classic mistakes next to their safe twins.
const express = require('express');
const fs = require('fs');
const path = require('path');
const { exec, execFile } = require('child_process');
const crypto = require('crypto');
const jwt = require('jsonwebtoken');
const session = require('express-session');
const cors = require('cors');
const serialize = require('node-serialize');
const mysql = require('mysql2');
const ejs = require('ejs');

const app = express();
const db = mysql.createPool({ host: process.env.DB_HOST, user: process.env.DB_USER, database: 'shop' });
const PUBLIC_DIR = path.join(__dirname, 'public');
const ALLOWED_HOSTS = new Set(['api.partner.example', 'cdn.example.com']);

app.use(cors({ origin: true, credentials: true })); // expect: config.cors-wildcard-credentials
app.use(cors({ origin: ['https://shop.example.com'], credentials: true }));
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, cookie: { secure: false } })); // expect: config.insecure-cookie

app.get('/users/:id', (req, res) => {
  const id = req.params.id;
  db.query('SELECT * FROM users WHERE id = ' + id, (err, rows) => res.json(rows)); // expect: injection.sql
  db.query('SELECT * FROM users WHERE id = ?', [id], (err, rows) => res.json(rows));
});

app.get('/search', (req, res) => {
  const { q, sort } = req.query;
  const sql = `SELECT name, price FROM products WHERE name LIKE '%${q}%' ORDER BY ${sort}`;
  db.execute(sql, (err, rows) => res.json(rows)); // expect: injection.sql
  const page = parseInt(req.query.page, 10) || 1;
  db.execute('SELECT * FROM products LIMIT 20 OFFSET ' + (page - 1) * 20, (e, r) => res.json(r));
});

app.get('/download', (req, res) => {
  const file = req.query.file;
  res.sendFile(path.join(PUBLIC_DIR, file)); // expect: path-traversal.request-path
  res.sendFile(file, { root: PUBLIC_DIR });
  res.download(path.join(PUBLIC_DIR, path.basename(file)));
});

app.get('/logs/:name', (req, res) => {
  const target = path.resolve(PUBLIC_DIR, req.params.name);
  if (!target.startsWith(PUBLIC_DIR + path.sep)) return res.status(400).end();
  fs.readFile(target, 'utf8', (err, text) => res.send(text));
  fs.readFile(`/var/log/app/${req.params.name}.log`, 'utf8', (err, text) => res.send(text)); // expect: path-traversal.request-path
});

app.post('/convert', (req, res) => {
  exec('convert ' + req.body.input + ' out.png', (err) => res.end()); // expect: injection.command
  execFile('convert', [req.body.input, 'out.png'], (err) => res.end());
  exec('git rev-parse HEAD', (err, out) => res.send(out));
});

app.get('/proxy', async (req, res) => {
  const upstream = await fetch(req.query.url); // expect: ssrf.request-url
  const host = req.query.host;
  if (ALLOWED_HOSTS.has(host)) {
    const ok = await fetch(`https://${host}/status`);
    res.send(await ok.text());
  }
  const item = await fetch('https://api.partner.example/items/' + encodeURIComponent(req.query.id));
  res.send(await upstream.text());
});

app.get('/login', (req, res) => {
  const next = req.query.next;
  if (req.session.user) return res.redirect(next); // expect: redirect.open-redirect
  res.redirect('/login?next=' + encodeURIComponent(next));
});

app.post('/settings', (req, res) => {
  const settings = loadSettings(req.session.user);
  for (const key in req.body) {
    settings[key] = req.body[key]; // expect: injection.prototype-pollution
  }
  const safe = {};
  for (const key of Object.keys(req.body)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    safe[key] = req.body[key];
  }
  res.json(settings);
});

app.post('/profile', (req, res) => {
  const profile = serialize.unserialize(req.cookies.profile); // expect: deserialization.unsafe
  const prefs = JSON.parse(req.cookies.prefs || '{}');
  res.json({ profile, prefs });
});

app.post('/register', (req, res) => {
  const { email, password } = req.body;
  const digest = crypto.createHash('md5').update(password).digest('hex'); // expect: crypto.weak-password-hash
  const etag = crypto.createHash('sha256').update(email).digest('hex');
  const checksum = crypto.createHash('md5').update(JSON.stringify(req.body)).digest('hex'); // expect: crypto.weak-hash
  const token = Math.random().toString(36).slice(2); // expect: crypto.insecure-random
  const verifyToken = crypto.randomBytes(32).toString('hex');
  res.cookie('session', token); // expect: config.insecure-cookie
  res.cookie('session_id', verifyToken, { secure: true, httpOnly: true, sameSite: 'lax' });
  res.cookie('theme', 'dark');
  res.json({ digest, etag, checksum });
});

function authenticate(req, res, next) {
  const header = req.headers.authorization || '';
  try {
    req.user = jwt.verify(header.replace('Bearer ', ''), process.env.JWT_PUBLIC_KEY); // expect: auth.jwt-unverified
    next();
  } catch {
    res.status(401).end();
  }
}

function authenticateStrict(req, res, next) {
  req.user = jwt.verify(req.headers.authorization, process.env.JWT_PUBLIC_KEY, { algorithms: ['RS256'] });
  next();
}

app.get('/calc', (req, res) => {
  res.send(String(eval(req.query.expr))); // expect: injection.eval
  res.send(String(eval('2 + 2')));
});

const TOKEN_SECRET = process.env.TOKEN_SECRET || 'change-this-secret'; // (reported where it signs)
const REFRESH_SECRET = process.env.REFRESH_SECRET;

app.post('/token', (req, res) => {
  const access = jwt.sign({ sub: req.user.id }, TOKEN_SECRET, { expiresIn: '15m' }); // expect: auth.hardcoded-signing-secret
  const refresh = jwt.sign({ sub: req.user.id }, REFRESH_SECRET, { expiresIn: '7d' });
  const legacy = jwt.sign({ sub: req.user.id }, 'legacy-signing-key-2019'); // expect: auth.hardcoded-signing-secret
  res.json({ access, refresh, legacy });
});

app.get('/greet', async (req, res) => {
  if (!req.query.name) return res.status(400).send('Missing name: ' + req.query.field); // expect: xss.server-response
  const user = await db.users.findOne({ handle: req.query.name }); // expect: injection.nosql
  res.send(`<h1>Hello ${escapeHtml(req.query.name)}</h1><p>${user.bio}</p>`);
  res.type('text').send(`Hello ${req.query.name}`);
});

app.post('/preview', (req, res) => {
  const page = ejs.render(req.body.layout, { user: req.user }); // expect: injection.eval
  const card = ejs.render('<p><%= title %></p>', { title: req.body.title });
  res.json({ page, card });
});

app.get('/echo', (req, res) => {
  res.send(`<pre>${req.query.text}</pre>`); // expect: xss.server-response
});

app.listen(3000);
