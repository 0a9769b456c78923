#!/bin/sh
# Builds Assay from a source tree and stages a production install into PREFIX: the built packages, the
# web UI and the production dependencies only. The Dockerfile runs exactly this; so does a test of the
# suite (packages/server/src/deploy.test.ts), which then starts the staged copy with deploy/start.sh.
#
#   deploy/build.sh SOURCE_DIR PREFIX
#
# A source tree without node_modules is installed first (`npm ci`, whose `prepare` step builds);
# a tree already installed and built (as after `npm ci`) is staged as it is.
set -eu
usage="usage: deploy/build.sh SOURCE_DIR PREFIX"
src=$(cd "${1:?$usage}" && pwd)
prefix=${2:?$usage}

cd "$src"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
for built in packages/server/dist/main.js packages/cli/dist packages/web/dist/index.html; do
  [ -e "$built" ] || { echo "deploy/build.sh: $src/$built is missing: run npm run build there first" >&2; exit 1; }
done

mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
cp package.json package-lock.json "$prefix/"
for pkg in api server cli web; do
  mkdir -p "$prefix/packages/$pkg"
  cp "packages/$pkg/package.json" "$prefix/packages/$pkg/"
  cp -R "packages/$pkg/dist" "$prefix/packages/$pkg/dist"
  [ ! -d "packages/$pkg/bin" ] || cp -R "packages/$pkg/bin" "$prefix/packages/$pkg/bin"
done
mkdir -p "$prefix/deploy"
cp deploy/start.sh "$prefix/deploy/"

# Production dependencies only, as npm resolves them from the lockfile (nested ones come with their
# parent; workspace links such as node_modules/@assay/server stay relative links into $prefix/packages).
mkdir -p "$prefix/node_modules"
npm ls --omit=dev --all --parseable 2>/dev/null | sed "s|^$src/||" | grep '^node_modules/' |
  grep -v '^node_modules/.*/node_modules/' | sort -u | while read -r dir; do
    mkdir -p "$prefix/$(dirname "$dir")"
    [ -e "$prefix/$dir" ] || [ -L "$prefix/$dir" ] || cp -R "$dir" "$prefix/$dir"
  done
[ -e "$prefix/node_modules/better-sqlite3/build/Release/better_sqlite3.node" ] || {
  echo "deploy/build.sh: better-sqlite3's native module is missing from the staged install" >&2
  exit 1
}
echo "Assay staged in $prefix: start it with $prefix/deploy/start.sh"
