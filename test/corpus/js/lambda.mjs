// An AWS Lambda handler and a Koa route.
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import got from 'got';
import Router from '@koa/router';

const s3 = new S3Client({});
const router = new Router();

export async function handler(event) {
  const name = event.queryStringParameters.name;
  const local = fs.readFileSync('/tmp/cache/' + name, 'utf8'); // expect: path-traversal.request-path
  const fixed = fs.readFileSync('/tmp/cache/index.json', 'utf8');
  const body = JSON.parse(event.body);
  const hook = await got.post(body.callbackUrl, { json: { ok: true } }); // expect: ssrf.request-url
  const obj = await s3.send(new GetObjectCommand({ Bucket: 'reports', Key: name }));
  const done = { statusCode: 200, headers: { Location: '/reports/' + name }, body: local + fixed + hook.body + obj.ETag };
  return { statusCode: 302, headers: { Location: body.returnUrl }, body: done.body }; // expect: redirect.open-redirect
}

router.get('/go', (ctx) => {
  ctx.redirect(ctx.query.to); // expect: redirect.open-redirect
  ctx.redirect('/dashboard');
});

router.get('/cors', (ctx) => {
  ctx.set('Access-Control-Allow-Origin', ctx.get('Origin')); // expect: config.cors-wildcard-credentials
  ctx.set('Access-Control-Allow-Credentials', 'true');
});

router.get('/public', (ctx) => {
  ctx.set('Access-Control-Allow-Origin', '*');
  ctx.body = 'public';
});

router.post('/merge', (ctx) => {
  const target = {};
  const input = ctx.request.body;
  Object.keys(input).forEach((k) => {
    target[k] = input[k]; // expect: injection.prototype-pollution
  });
  ctx.body = target;
});

export default router;
