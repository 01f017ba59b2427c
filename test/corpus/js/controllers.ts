// @ts-nocheck — corpus file: analysed by Shippi, not compiled (its imports are not installed).
// Class-based controllers with knex, Sequelize and a service layer.
import { Request, Response, NextFunction } from 'express';
import knex from 'knex';
import { Sequelize, QueryTypes } from 'sequelize';
import * as fs from 'fs';
import * as path from 'path';
import fetch from 'node-fetch';
import { createHash, randomBytes } from 'crypto';

const db = knex({ client: 'sqlite3', connection: { filename: './dev.sqlite3' } });
const sequelize = new Sequelize(process.env.DATABASE_URL as string);
const UPLOADS = path.resolve('uploads');

export class OrderController {
  constructor(private readonly repo: OrderRepository) {}

  async list(req: Request, res: Response): Promise<void> {
    const status = req.query.status as string;
    const rows = await db.raw(`select * from orders where status = '${status}'`); // expect: injection.sql
    const safe = await db('orders').where({ status }).select('*');
    const counted = await db.raw('select count(*) from orders where status = ?', [status]);
    res.json({ rows, safe, counted });
  }

  async byCustomer(req: Request, res: Response): Promise<void> {
    const customer = req.params.customer;
    const orders = await sequelize.query( // expect: injection.sql
      'SELECT * FROM orders WHERE customer = ' + customer,
      { type: QueryTypes.SELECT },
    );
    const bound = await sequelize.query('SELECT * FROM orders WHERE customer = :customer', {
      replacements: { customer },
      type: QueryTypes.SELECT,
    });
    res.json({ orders, bound });
  }

  async attachment(req: Request, res: Response): Promise<void> {
    const requested = req.params.file;
    const full = path.join(UPLOADS, requested);
    const stream = fs.createReadStream(full); // expect: path-traversal.request-path
    const name = path.basename(requested);
    const safeStream = fs.createReadStream(path.join(UPLOADS, name));
    stream.pipe(res);
    safeStream.close();
  }

  async webhook(req: Request, res: Response): Promise<void> {
    const { callback } = req.body;
    await fetch(callback, { method: 'POST', body: JSON.stringify({ ok: true }) }); // expect: ssrf.request-url
    await fetch('https://hooks.example.com/orders', { method: 'POST' });
    res.sendStatus(204);
  }

  fingerprint(body: string): string {
    return createHash('md5').update(body).digest('hex'); // expect: crypto.weak-hash
  }

  resetCode(): string {
    const code = String(Math.floor(100000 + Math.random() * 900000)); // expect: crypto.insecure-random
    return code;
  }

  apiToken(): string {
    return randomBytes(24).toString('base64url');
  }
}

export function requireAdmin(req: Request, res: Response, next: NextFunction): void {
  const role = req.headers['x-role'];
  if (role !== 'admin') {
    res.status(403).end();
    return;
  }
  next();
}

export function applyPatch(req: Request, res: Response): void {
  const doc: Record<string, unknown> = {};
  const { field, value } = req.body;
  doc[field] = value; // expect: injection.prototype-pollution
  const lookup = new Map<string, unknown>();
  lookup.set(field, value);
  res.json(doc);
}

export function renderError(req: Request, res: Response): void {
  const msg = req.query.msg;
  res.setHeader('Location', msg as string); // expect: redirect.open-redirect
  res.setHeader('Content-Type', 'text/html');
  res.status(302).end();
}
