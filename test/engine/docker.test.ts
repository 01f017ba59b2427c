import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scan } from '../../server/engine/index.js';
import { mark } from '../helpers/mark.js';

const config = { only: ['config' as const] };
const found = (src: string, path = 'Dockerfile') => scan(src, { path, config }).map((f) => [f.ruleId, src.slice(f.start, f.end)]);

test('a final stage with no USER runs as root; the finding sits on the final FROM', () => {
  const src = 'FROM node:20 AS build\nRUN npm ci\nFROM node:20-slim\nCOPY --from=build /app /app\nCMD ["node", "/app"]\n';
  assert.equal(found(src), [['config.container-runs-as-root', 'FROM node:20-slim']]);
});

test('USER in the final stage (name or uid) is fine; switching back to root is not', () => {
  assert.equal(found('FROM node:20-slim\nUSER node\nCMD ["node"]\n'), []);
  assert.equal(found('FROM alpine:3.19\nUSER 10001:10001\n'), []);
  assert.equal(found('FROM alpine:3.19\nUSER app\nRUN x\nUSER root\n'), [['config.container-runs-as-root', 'USER root']]);
  // A USER in an earlier stage does not carry over to the next FROM.
  assert.equal(found('FROM alpine:3.19 AS a\nUSER app\nFROM alpine:3.19\n').map((f) => f[0]), ['config.container-runs-as-root']);
});

test('curl or wget piped into a shell is flagged, across continuation lines and in shell scripts', () => {
  const [src, at] = mark('FROM alpine:3.19\nRUN «curl -fsSL https://get.example.com | sh»\nUSER app\n');
  const [f] = scan(src, { path: 'Dockerfile', config });
  assert.equal([f?.ruleId, f?.start, f?.end], ['config.remote-script-piped-to-shell', at.start, at.end]);
  assert.equal(found('FROM alpine:3.19\nRUN wget -qO- https://x.example/i.sh \\\n  | sudo -E bash -\nUSER app\n').map((f) => f[0]), ['config.remote-script-piped-to-shell']);
  assert.equal(found('#!/bin/sh\ncurl https://x.example/install | bash\n', 'install.sh').map((f) => f[0]), ['config.remote-script-piped-to-shell']);
});

test('downloading to a file and verifying it, or a commented-out pipe, is not flagged', () => {
  const src = 'FROM alpine:3.19\nRUN curl -fsSLo i.sh https://x.example/i.sh && echo "abc  i.sh" | sha256sum -c && sh i.sh\n# RUN curl https://x | sh\nUSER app\n';
  assert.equal(found(src), []);
});

test('ADD from a URL without --checksum is flagged; with --checksum or a local path it is not', () => {
  assert.equal(found('FROM alpine:3.19\nADD https://x.example/t.tgz /opt/\nUSER app\n').map((f) => f[0]), ['config.docker-add-remote-url']);
  assert.equal(found('FROM alpine:3.19\nADD --checksum=sha256:abc https://x.example/t.tgz /opt/\nADD ./local /opt/\nUSER app\n'), []);
});

test('unpinned base images: no tag or :latest; tags, digests, registry ports, stage names, scratch and ARGs are fine', () => {
  assert.equal(found('FROM python\nUSER app\n'), [['config.unpinned-base-image', 'python']]);
  assert.equal(found('FROM ubuntu:latest\nUSER app\n'), [['config.unpinned-base-image', 'ubuntu:latest']]);
  const fine = 'FROM registry.example.com:5000/base:1.2 AS base\nFROM node@sha256:abcd AS n\nFROM base\nFROM scratch\nFROM ${IMAGE}\nUSER app\n';
  assert.equal(found(fine), []);
});

test.run();
