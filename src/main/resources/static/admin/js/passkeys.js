// WebAuthn in the browser: Kapı's options are WebAuthn JSON, so the browser's own parsers read them and
// toJSON() writes the authenticator's answer back the same way.

export async function create(options) {
  const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
  return credential.toJSON();
}

export async function get(options) {
  const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
  return credential.toJSON();
}

export function supported() {
  return typeof PublicKeyCredential !== 'undefined' && typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function';
}
