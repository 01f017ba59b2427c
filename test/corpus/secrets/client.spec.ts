// @ts-nocheck — a corpus file: realistic source with fake credentials, never compiled.
import { describe, it, expect } from 'vitest';
import { login } from '../src/auth';

const PASSWORD = 'password123';
const ADMIN = { user: 'admin', password: 'admin123' };
const token = 'test-token';

describe('login', () => {
  it('accepts the fixture password', async () => {
    expect(await login('alice', 'hunter22')).toBe(true);
    expect(await login('admin', PASSWORD, { apiKey: 'dummy-key' })).toBe(true);
  });
  it('rejects an expired session', async () => {
    const expired = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MX0.3j6IKMe6jlfmPOqnrLvVUncTuESuFuIMTfma-2WXg3_'; // expect: secret.jwt
    expect(await login('alice', ADMIN.password, { token: expired })).toBe(false);
  });
});
