// The console's only way to the server. Tokens live in this module's memory and nowhere else: never in
// localStorage, sessionStorage or a cookie, so closing or reloading the tab signs the admin out.

import { lang } from './i18n.js';

let tokens = null;
let refreshing = null;
let onSignedOut = () => {};
let askProof = async () => null;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.message || problem?.detail || problem?.title || String(status));
    this.status = status;
    this.problem = problem;
  }
}

/** Called when the session ends under the console's feet (expired, revoked). */
export function whenSignedOut(callback) {
  onSignedOut = callback;
}

/**
 * Called when a change needs a recent proof of the admin (401 reauthentication-required): callback(error)
 * answers { password } or { code } (or null to give up), and is called again after a wrong one.
 */
export function whenReauthenticationNeeded(callback) {
  askProof = callback;
}

export function signedIn() {
  return tokens !== null;
}

/**
 * Signs in; for an account with a second factor answers { mfaToken, methods } instead, to be finished with
 * signInSecondStep.
 */
export async function signIn(username, password) {
  const answer = await send('POST', '/auth/login', { username, password }, false);
  if (answer.body.mfa_required) return { mfaToken: answer.body.mfa_token, methods: answer.body.methods };
  return admitted(answer.body);
}

/** The second step: a six-digit authenticator code, or else a recovery code, or { passkey }. */
export async function signInSecondStep(mfaToken, code) {
  const proof = typeof code === 'object' ? code : /^\d{6}$/.test(code) ? { code } : { recovery_code: code };
  const answer = await send('POST', '/auth/login/mfa', { mfa_token: mfaToken, ...proof }, false);
  return admitted(answer.body);
}

/** Options for a passkey sign-in: any passkey, or with mfaToken one of that account's. */
export async function passkeyOptions(mfaToken) {
  return (await send('POST', '/auth/passkey/options', mfaToken ? { mfa_token: mfaToken } : {}, false)).body;
}

/** Signs in with a passkey alone. */
export async function signInWithPasskey(ceremonyId, credential) {
  const answer = await send('POST', '/auth/passkey', { ceremony_id: ceremonyId, credential }, false);
  return admitted(answer.body);
}

async function admitted(body) {
  tokens = { access: body.access_token, refresh: body.refresh_token };
  try {
    const me = await api('GET', '/users/me');
    if (me.role !== 'admin') {
      await signOut();
      throw new ApiError(403, { message: null, code: 'not-admin' });
    }
    return me;
  } catch (error) {
    tokens = null;
    throw error;
  }
}

export async function signOut() {
  if (!tokens) return;
  try {
    await send('POST', '/auth/logout', undefined, true);
  } catch {
    // The session may already be gone; forgetting the tokens is what matters.
  }
  tokens = null;
}

/** Calls the API and returns the JSON body; throws ApiError with the server's message. */
export async function api(method, path, body) {
  return (await call(method, path, body)).body;
}

/**
 * As api(), also returning the response headers (X-Next-Cursor). An expired access token is refreshed, and a
 * change that needs a recent proof asks the admin for the password or code, then is sent again.
 */
export async function call(method, path, body) {
  try {
    return await withProof(method, path, body);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || !tokens || needsProof(error)) throw error;
    await refresh();
    return withProof(method, path, body);
  }
}

function needsProof(error) {
  return error instanceof ApiError && error.status === 401
    && error.problem?.type === 'urn:kapi:problem:reauthentication-required';
}

async function withProof(method, path, body) {
  try {
    return await send(method, path, body, true);
  } catch (error) {
    if (!needsProof(error)) throw error;
    let reason = error;
    for (;;) {
      const proof = await askProof(reason);
      if (!proof) throw error;
      try {
        await send('POST', '/auth/reauthenticate', proof, true);
        break;
      } catch (wrong) {
        if (!(wrong instanceof ApiError) || wrong.status !== 400) throw wrong;
        reason = wrong;
      }
    }
    return send(method, path, body, true);
  }
}

async function refresh() {
  if (!refreshing) {
    const refreshToken = tokens.refresh;
    refreshing = send('POST', '/auth/refresh', { refresh_token: refreshToken }, false)
      .then(answer => {
        tokens = { access: answer.body.access_token, refresh: answer.body.refresh_token };
      })
      .catch(error => {
        tokens = null;
        onSignedOut();
        throw error;
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

async function send(method, path, body, authorized) {
  const headers = { 'Accept': 'application/json', 'Accept-Language': lang() };
  if (authorized && tokens) headers['Authorization'] = 'Bearer ' + tokens.access;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
  });
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return { body: json, headers: response.headers };
}
