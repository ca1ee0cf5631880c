-- The app's own PKCE (RFC 7636, S256) for the one-time code: the challenge the app sent when it started the sign-in
-- waits with the state, moves to the code, and the exchange must bring the verifier it was made from. A challenge
-- is a SHA-256: a copy of it is useless without the verifier the app holds. Null: a flow started without one.
ALTER TABLE external_sign_in_states ADD COLUMN code_challenge text;
ALTER TABLE external_sign_in_codes ADD COLUMN code_challenge text;
