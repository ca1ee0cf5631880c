#!/usr/bin/env python3
"""Builds src/main/resources/identity/breached-passwords.sha1: the sorted, unique first 8 bytes of the
SHA-1 of every password in the lists given (one password a line, UTF-8), as raw big-endian bytes.

Kapi ships it built from two npm packages, both lists of passwords seen in real breaches:
  @zxcvbn-ts/language-common 4.1.3 (MIT)    src/passwords.json, 49,233 most common passwords
  fxa-common-password-list 0.0.4 (MPL-2.0)  Mozilla's 50,000 most common passwords of 8+ characters
(fxa's list decoded with its incremental-encoder; json lists with one entry a line first).
Usage: breached-passwords.py OUT LIST...
"""
import hashlib
import sys

prefixes = set()
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            password = line.rstrip("\n")
            if password:
                prefixes.add(hashlib.sha1(password.encode("utf-8")).digest()[:8])
with open(sys.argv[1], "wb") as out:
    for prefix in sorted(prefixes):
        out.write(prefix)
print(len(prefixes), "passwords")
