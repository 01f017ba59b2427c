// @ts-nocheck — corpus file: analysed by Shippi, not compiled (its imports are not installed).
// A Next.js API route (pages router) and an app-router handler.
import type { NextApiRequest, NextApiResponse } from 'next';
import { NextResponse } from 'next/server';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import axios from 'axios';
import { Pool } from 'pg';

const pool = new Pool();
const agent = new https.Agent({ rejectUnauthorized: false }); // expect: tls.reject-unauthorized-disabled
const strictAgent = new https.Agent({ rejectUnauthorized: true, keepAlive: true });

export default async function handler(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  const target = req.query.target as string;
  const response = await axios.get(target, { httpsAgent: agent }); // expect: ssrf.request-url
  const fixed = await axios.get(`https://status.example.com/api/${encodeURIComponent(target)}`);
  const slug = String(req.query.slug);
  const doc = await readFile(`./content/${slug}.md`, 'utf8'); // expect: path-traversal.request-path
  const readme = await readFile('./content/README.md', 'utf8');
  const { rows } = await pool.query(`SELECT * FROM posts WHERE slug = '${slug}'`); // expect: injection.sql
  const safeRows = await pool.query('SELECT * FROM posts WHERE slug = $1', [slug]);
  res.status(200).json({ data: response.data, fixed: fixed.data, doc, readme, rows, safeRows });
}

export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const next = url.searchParams.get('next') ?? '/';
  if (next.startsWith('/') && !next.startsWith('//')) return NextResponse.redirect(new URL(next, request.url));
  const back = url.searchParams.get('back');
  const feed = await fetch(new URL(request.url).searchParams.get('feed')!); // expect: ssrf.request-url
  const health = await (async () => {
    const request = new Request('https://status.example.com/health'); // shadows the handler's: built here
    return fetch(new Request(request.url, { headers: request.headers }));
  })();
  if (!feed.ok || !health.ok) return new Response('upstream down', { status: 502 });
  return NextResponse.redirect(back!); // expect: redirect.open-redirect
}

export function legacyTls(): void {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // expect: tls.reject-unauthorized-disabled
  if (process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') console.warn('TLS checks are off');
}
