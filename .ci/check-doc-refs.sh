#!/usr/bin/env bash
# Every documentation reference in the tracked files resolves inside this
# repository, since a clone has nothing beside it:
#   - a path `docs/NAME` names a file under docs/;
#   - a spec named bare (`IXON.md`, `AIUR.md §2`) is a file under docs/ or at
#     the root;
#   - nothing points into a `shared/docs` folder outside the repository.
# Prints each broken reference as FILE:LINE: reason, and exits 1 if any.
set -euo pipefail
cd "$(dirname "$0")/.."

broken=0
report() {
  echo "$1: $2"
  broken=1
}

# Tracked text files, less the bundled test data and this script.
mapfile -t files < <(git ls-files -- ':!tests/data' ':!.ci/check-doc-refs.sh' | grep -vE '\.(svg|png|ixe|ixesp|ixes|ndjson|lock)$')

while IFS=: read -r file line ref; do
  path=${ref#*docs/}
  [[ -e "docs/$path" ]] || report "$file:$line" "docs/$path does not exist"
done < <(grep -noE '(^|[^A-Za-z0-9_/.-])docs/[A-Za-z0-9_./-]*[A-Za-z0-9_]' -- "${files[@]}" \
           | grep -v 'shared/docs/' | sed -E 's/:[^:]*docs\//:docs\//')

while IFS=: read -r file line name; do
  [[ -e "docs/$name" || -e "$name" ]] || report "$file:$line" "$name is neither docs/$name nor at the root"
done < <(grep -noE '(^|[^A-Za-z0-9_/.-])[A-Z][A-Z0-9_]*\.md' -- "${files[@]}" \
           | sed -E 's/:[^:A-Z]*([A-Z][A-Z0-9_]*\.md)$/:\1/')

while IFS=: read -r file line _; do
  report "$file:$line" "points into a shared/docs folder outside the repository"
done < <(grep -nE 'shared/docs' -- "${files[@]}" || true)

if [[ $broken == 0 ]]; then
  echo "documentation references: all resolve inside the repository"
fi
exit $broken
