// Passkeys on Kapı's hosted sign-in page. The page's Content-Security-Policy allows no inline script, so this file of
// Kapı's own origin shows each passkey form (hidden until then: without this script or WebAuthn the page offers the
// account's other factors), asks POST /auth/passkey/options for a ceremony (with the form's mfa_token, for one of that
// account's passkeys), has the authenticator sign its challenge and posts the answer with the form: an ordinary form
// POST, with the page's CSRF field.
(() => {
  'use strict';

  if (!window.PublicKeyCredential || !navigator.credentials) {
    return;
  }

  const fromBase64Url = value => {
    const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(binary, c => c.charCodeAt(0)).buffer;
  };

  const toBase64Url = buffer => {
    let binary = '';
    new Uint8Array(buffer).forEach(b => { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };

  // WebAuthn's JSON forms, for browsers that lack parseRequestOptionsFromJSON / toJSON.
  const requestOptions = options => PublicKeyCredential.parseRequestOptionsFromJSON
    ? PublicKeyCredential.parseRequestOptionsFromJSON(options)
    : { ...options, challenge: fromBase64Url(options.challenge),
        allowCredentials: (options.allowCredentials || []).map(c => ({ ...c, id: fromBase64Url(c.id) })) };

  const answer = credential => typeof credential.toJSON === 'function' ? credential.toJSON() : {
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: {
      clientDataJSON: toBase64Url(credential.response.clientDataJSON),
      authenticatorData: toBase64Url(credential.response.authenticatorData),
      signature: toBase64Url(credential.response.signature),
      userHandle: credential.response.userHandle ? toBase64Url(credential.response.userHandle) : null
    }
  };

  const use = async form => {
    const token = form.elements.namedItem('mfa_token');
    const response = await fetch('/auth/passkey/options', {
      method: 'POST',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(token && token.value ? { mfa_token: token.value } : {})
    });
    if (!response.ok) {
      throw new Error('passkey options: ' + response.status);
    }
    const ceremony = await response.json();
    const credential = await navigator.credentials.get({ publicKey: requestOptions(ceremony.options) });
    form.elements.namedItem('ceremony_id').value = ceremony.ceremony_id;
    form.elements.namedItem('credential').value = JSON.stringify(answer(credential));
    form.submit();
  };

  document.querySelectorAll('form[data-passkey]').forEach(form => {
    const status = form.querySelector('[data-passkey-status]');
    const button = form.querySelector('button[type=submit]');
    form.hidden = false;
    form.addEventListener('submit', event => {
      event.preventDefault();
      button.disabled = true;
      status.hidden = true;
      use(form).catch(() => {
        status.textContent = form.dataset.passkeyFailed;
        status.hidden = false;
        button.disabled = false;
      });
    });
  });
})();
