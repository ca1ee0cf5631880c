-- The app's own PKCE (RFC 7636, S256) for the one-time code: the challenge the app sent when it started the sign-in
-- waits with the state, moves to the code, and the exchange must bring the verifier it was made from. A challenge
-- is a SHA-256: a copy of it is useless without the verifier the app holds. Null: a flow started without one.
ALTER TABLE external_sign_in_states ADD COLUMN code_challenge text;
ALTER TABLE external_sign_in_codes ADD COLUMN code_challenge text;
-- A code the hosted sign-in page's flow came back with is exchanged only there, in the browser that started it
-- (its cookie stands for the verifier): POST /auth/external/exchange refuses it.
ALTER TABLE external_sign_in_codes ADD COLUMN browser_bound boolean NOT NULL DEFAULT false;
