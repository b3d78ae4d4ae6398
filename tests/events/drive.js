// Delivers SMS events to a receiver the way Dialpad would, signing them with the
// jsonwebtoken npm package, and prints one JSON line per delivery:
//   {"case": NAME, "status": HTTP_STATUS, "event": THE_EVENT_SENT_OR_NULL}
// It judges nothing: tests/tests/events_e2e.rs compares the statuses and the receiver's
// output with what it expects.
//
// usage: node drive.js URL signed SECRET   (the receiver has the secret)
//        node drive.js URL plain  SECRET   (the receiver has no secret)
'use strict';

const crypto = require('node:crypto');
const jwt = require('jsonwebtoken');

const [url, mode, secret] = process.argv.slice(2);
if (!url || !['signed', 'plain'].includes(mode) || !secret) {
  console.error('usage: node drive.js URL signed|plain SECRET');
  process.exit(2);
}

const now = Math.floor(Date.now() / 1000);
let next = 9000;

function event(extra = {}) {
  next += 1;
  return {
    id: next,
    created_date: now * 1000,
    direction: next % 2 ? 'inbound' : 'outbound',
    target: { id: 5550001, type: 'user', name: 'Ada Lovelace', phone_number: '+14155550100' },
    contact: { id: 7770001, name: 'Charles Babbage', phone_number: '+14155550199' },
    sender_id: null,
    from_number: '+14155550199',
    to_number: ['+14155550100'],
    mms: false,
    text: `message ${next}`,
    ...extra,
  };
}

function sign(payload, options = {}) {
  return jwt.sign(payload, secret, { algorithm: 'HS256', ...options });
}

function tamper(token) {
  const [header, , signature] = token.split('.');
  const forged = Buffer.from(JSON.stringify(event({ text: 'forged' }))).toString('base64url');
  return `${header}.${forged}.${signature}`;
}

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

// [name, body, content type or null, the event when the body carries one worth printing]
function cases() {
  const list = [];
  const add = (name, body, contentType, sent = null) => list.push({ name, body, contentType, sent });
  if (mode === 'signed') {
    let e = event();
    add('valid', sign(e), 'application/jwt', e);
    e = event({ exp: now + 600, nbf: now - 600 });
    const { exp, nbf, ...shown } = e;
    add('valid-exp-nbf', sign(e), null, shown);
    add('tampered', tamper(sign(event())), 'text/plain');
    add('wrong-secret', jwt.sign(event(), 'not-the-secret', { algorithm: 'HS256' }), 'application/jwt');
    add('alg-none', jwt.sign(event(), '', { algorithm: 'none' }), 'application/jwt');
    add('hs384', sign(event(), { algorithm: 'HS384' }), 'application/jwt');
    add('rs256', jwt.sign(event(), privateKey, { algorithm: 'RS256' }), 'application/jwt');
    add('expired', sign({ ...event(), exp: now - 3600 }), 'application/jwt');
    add('not-yet-valid', sign({ ...event(), nbf: now + 3600 }), 'application/jwt');
    add('plain-json', JSON.stringify(event()), 'application/json');
    add('not-an-event', sign({ hello: 'world' }), 'application/jwt');
    add('garbage', 'this is not an event', 'text/plain');
    add('oversized', sign(event({ text: 'x'.repeat(1100 * 1024) })), 'application/jwt');
    e = event();
    add('valid-again', sign(e), 'application/json', e);
  } else {
    let e = event();
    add('plain-valid', JSON.stringify(e), 'application/json', e);
    add('plain-signed', sign(event()), 'application/jwt');
    add('plain-alg-none', jwt.sign(event(), '', { algorithm: 'none' }), 'application/jwt');
    add('plain-not-an-event', JSON.stringify({ hello: 'world' }), 'application/json');
    add('plain-oversized', JSON.stringify(event({ text: 'x'.repeat(1100 * 1024) })), null);
    e = event();
    add('plain-valid-again', JSON.stringify(e), 'text/plain', e);
  }
  return list;
}

async function main() {
  for (const c of cases()) {
    const headers = c.contentType ? { 'content-type': c.contentType } : {};
    let status;
    try {
      const response = await fetch(url, { method: 'POST', body: c.body, headers });
      status = response.status;
      await response.arrayBuffer();
    } catch (err) {
      status = `error: ${err.cause ? err.cause.code || err.cause.message : err.message}`;
    }
    console.log(JSON.stringify({ case: c.name, status, event: c.sent }));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
