// Sign in with Kapı from a single-page app, no framework and no library: the OAuth 2.1 authorization code flow with
// PKCE (S256), a state against forged redirects and a nonce against replayed ID tokens (OpenID Connect Core 3.1).
// The app is a public client: it has no secret, so PKCE is what binds the code to this browser.
// Tokens live in this module's memory only (a reload signs in again); only the verifier, state and nonce of a
// sign-in in progress wait in sessionStorage for the redirect back. config.json names the issuer and client_id.

const pending = 'kapi-oidc-pending';
let config;
let provider;
let tokens = null;

const $ = (id) => document.getElementById(id);

function base64url(bytes) {
  let text = '';
  for (const byte of new Uint8Array(bytes)) {
    text += String.fromCharCode(byte);
  }
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function challengeOf(verifier) {
  return base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
}

function redirectUri() {
  return location.origin + location.pathname;
}

// The ID token comes straight from the token endpoint over the connection this app opened, so its signature need not
// be checked here (OpenID Connect Core 3.1.3.7); its issuer, audience, nonce and expiry must be.
function claimsOf(idToken, nonce) {
  const payload = idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== provider.issuer) throw new Error('ID token from another issuer: ' + claims.iss);
  if (!audience.includes(config.client_id)) throw new Error('ID token for another client');
  if (nonce !== undefined && claims.nonce !== nonce) throw new Error('ID token with another nonce');
  return claims;
}

async function tokenRequest(parameters) {
  const response = await fetch(provider.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: config.client_id, ...parameters }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error('token endpoint: ' + response.status + ' ' + (body.error || ''));
  return body;
}

async function signIn() {
  const verifier = randomString();
  const state = randomString();
  const nonce = randomString();
  sessionStorage.setItem(pending, JSON.stringify({ verifier, state, nonce }));
  const request = new URL(provider.authorization_endpoint);
  request.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.client_id,
    redirect_uri: redirectUri(),
    scope: config.scope || 'openid profile email',
    state,
    nonce,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  });
  location.assign(request);
}

async function finishSignIn(query) {
  const started = JSON.parse(sessionStorage.getItem(pending) || 'null');
  sessionStorage.removeItem(pending);
  history.replaceState(null, '', redirectUri());
  if (query.get('error')) throw new Error('Kapı answered ' + query.get('error'));
  if (!started || query.get('state') !== started.state) throw new Error('state does not match: not our sign-in');
  if (query.get('iss') && query.get('iss') !== provider.issuer) throw new Error('answer from another issuer');
  tokens = await tokenRequest({
    grant_type: 'authorization_code',
    code: query.get('code'),
    redirect_uri: redirectUri(),
    code_verifier: started.verifier,
  });
  show('claims', claimsOf(tokens.id_token, started.nonce));
}

async function userinfo() {
  const response = await fetch(provider.userinfo_endpoint, {
    headers: { Authorization: 'Bearer ' + tokens.access_token },
  });
  show('userinfo-result', { status: response.status, body: await response.json() });
}

async function refresh() {
  const before = tokens;
  tokens = await tokenRequest({ grant_type: 'refresh_token', refresh_token: before.refresh_token });
  if (!tokens.refresh_token) tokens.refresh_token = before.refresh_token;
  show('refresh-result', {
    access_token_changed: tokens.access_token !== before.access_token,
    refresh_token_changed: tokens.refresh_token !== before.refresh_token,
    id_token: tokens.id_token ? claimsOf(tokens.id_token) : null,
  });
}

function show(id, value) {
  $(id).textContent = JSON.stringify(value, null, 2);
}

function signedIn() {
  $('status').textContent = tokens ? 'Signed in' : 'Signed out';
  $('sign-in').hidden = Boolean(tokens);
  $('userinfo').hidden = !tokens;
  $('refresh').hidden = !tokens || !tokens.refresh_token;
}

function guarded(action) {
  return async () => {
    try {
      $('error').hidden = true;
      await action();
    } catch (error) {
      $('error').textContent = error.message;
      $('error').hidden = false;
    }
    signedIn();
  };
}

async function start() {
  config = await (await fetch('config.json')).json();
  const issuer = config.issuer.replace(/\/+$/, '');
  provider = await (await fetch(issuer + '/.well-known/openid-configuration')).json();
  $('sign-in').addEventListener('click', guarded(signIn));
  $('userinfo').addEventListener('click', guarded(userinfo));
  $('refresh').addEventListener('click', guarded(refresh));
  const query = new URLSearchParams(location.search);
  if (query.has('code') || query.has('error')) await finishSignIn(query);
}

guarded(start)();
