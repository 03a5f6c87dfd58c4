#!/usr/bin/env bash
# Validates deploy/k8s-indexed-job.yaml against the Kubernetes API schema,
# strictly (an unknown or misspelt field is an error), for the oldest and the
# newest Kubernetes versions the validator ships schemas for. Then checks
# that the validator does refuse broken copies of the manifest, so that a
# pass means something.
#
#   bash deploy/k8s-validate.sh
#
# The validator is the PyPI package kubernetes-validate (pinned below), which
# carries its schemas: no cluster and no network beyond PyPI. It is installed
# in a venv under target/. Closes with "k8s: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
manifest=deploy/k8s-indexed-job.yaml
version=1.37.0
venv=target/k8s-validate-$version
if [ ! -x "$venv/bin/kubernetes-validate" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$version"
fi
validate() {
  "$venv/bin/kubernetes-validate" --strict --no-warn "$@"
}

passed=0
failed=0
pass() {
  echo "ok   $1"
  passed=$((passed + 1))
}
fail() {
  echo "FAIL $1"
  sed 's/^/    /' <<<"$2"
  failed=$((failed + 1))
}

for kubernetes in 1.25.0 "$version"; do
  if out=$(validate --kubernetes-version "$kubernetes" "$manifest" 2>&1); then
    pass "$manifest is a valid batch/v1 Job for Kubernetes $kubernetes"
  else
    fail "$manifest is a valid batch/v1 Job for Kubernetes $kubernetes" "$out"
  fi
done

# Each broken copy (a sed edit of the manifest) must be refused with the
# validator's message naming the field.
broken=$(mktemp -d)
trap 'rm -rf "$broken"' EXIT
refuses() {
  local name=$1 edit=$2 expected=$3 out
  sed "$edit" "$manifest" >"$broken/$name.yaml"
  cmp -s "$manifest" "$broken/$name.yaml" && {
    fail "refuses $name" "the edit '$edit' changed nothing"
    return
  }
  if out=$(validate "$broken/$name.yaml" 2>&1); then
    fail "refuses $name" "accepted: $out"
  elif [[ $out == *"$expected"* ]]; then
    pass "refuses $name"
  else
    fail "refuses $name" "$out"
  fi
}
refuses misspelt-field 's/completionMode:/completionMod:/' "'completionMod' was unexpected"
refuses wrong-type 's/parallelism: 16 /parallelism: sixteen /' "'sixteen' is not of type 'integer'"
refuses missing-containers 's/^      containers:/      container:/' "'containers' is a required property"

echo "k8s: $passed passed, $failed failed"
[ "$failed" = 0 ]
