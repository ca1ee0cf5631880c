#!/usr/bin/env node
// A service signing in to Kapı as itself, with no user: the OAuth 2.1 client credentials grant. It discovers the
// endpoints from the issuer, asks for an access token with its client_id and secret (HTTP Basic,
// client_secret_basic), then asks Kapı's introspection endpoint, with the same credentials, what that token is.
// Node 20 or later (global fetch), no dependencies.
//
//   KAPI_ISSUER=https://kapi.example.com KAPI_CLIENT_ID=... KAPI_CLIENT_SECRET=... [KAPI_SCOPE="..."] \
//     node client/oidc/client-credentials.mjs
//
// It prints one JSON object: the token answer (without the token itself) and the introspection answer.

const issuer = required('KAPI_ISSUER').replace(/\/+$/, '');
const clientId = required('KAPI_CLIENT_ID');
const clientSecret = required('KAPI_CLIENT_SECRET');
const scope = process.env.KAPI_SCOPE;

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

// RFC 6749 2.3.1: the id and secret are form-encoded before they are joined for HTTP Basic.
const basic = 'Basic ' + Buffer.from(
  `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');

async function form(url, parameters) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(parameters),
  });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body;
}

const discovery = await fetch(`${issuer}/.well-known/openid-configuration`);
if (!discovery.ok) {
  throw new Error(`discovery answered ${discovery.status}`);
}
const provider = await discovery.json();

const token = await form(provider.token_endpoint,
  scope ? { grant_type: 'client_credentials', scope } : { grant_type: 'client_credentials' });
const introspection = await form(provider.introspection_endpoint,
  { token: token.access_token, token_type_hint: 'access_token' });

console.log(JSON.stringify({
  token_type: token.token_type,
  expires_in: token.expires_in,
  scope: token.scope ?? null,
  introspection,
}));
