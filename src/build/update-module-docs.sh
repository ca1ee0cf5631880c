#!/usr/bin/env bash
# Writes the Spring Modulith module documentation from the code as it is (ModularityTests, into
# target/spring-modulith-docs) and copies it to docs/modules, which only this command changes.
# Usage: src/build/update-module-docs.sh   (then review and commit docs/modules)
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf target/spring-modulith-docs
mvn -B -q test -Dtest=ModularityTests -Dsurefire.failIfNoSpecifiedTests=false
rm -rf docs/modules
cp -R target/spring-modulith-docs docs/modules
echo "docs/modules updated from target/spring-modulith-docs"
