#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy into the folder where fabric8
# kube-api-test looks for them (~/.kubeapitest/k8s/<version>-linux-amd64/), so the operator's
# integration tests run against a real API server on a machine without internet.
# With internet none of this is needed: kube-api-test downloads the binaries itself.
# The result is cached: a second run with the binaries present returns at once.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.32.13}"
ETCD_VERSION="${ETCD_VERSION:-3.5.21}"
dest="${HOME}/.kubeapitest/k8s/${K8S_VERSION}-linux-amd64"

if [[ -x "$dest/kube-apiserver" && -x "$dest/etcd" && -x "$dest/kubectl" ]]; then
  echo "kube binaries: cached in $dest"
  exit 0
fi

if ! command -v go >/dev/null; then
  echo "kube binaries: no Go here to build them; kube-api-test will download them (needs internet)" >&2
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest.partial"

if [[ ! -x "$dest.partial/kube-apiserver" ]]; then
  echo "kube binaries: building kube-apiserver v${K8S_VERSION} (several minutes on 2 cores)"
  mkdir -p "$work/apiserver" && cd "$work/apiserver"
  go mod init scalesweep.local/kubebin >/dev/null 2>&1
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with local paths
  # that do not exist outside its own tree; point each one at the published v0.Y.Z instead.
  kmod="$(go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  staging_version="v0.${K8S_VERSION#1.}"
  {
    echo "require k8s.io/kubernetes v${K8S_VERSION}"
    grep -oE '^\s*k8s.io/[a-z0-9-]+ => \./staging' "$kmod" | awk '{print $1}' | sort -u |
      while read -r m; do echo "replace $m => $m ${staging_version}"; done
  } >>go.mod
  printf '//go:build tools\n\npackage tools\n\nimport _ "k8s.io/kubernetes/cmd/kube-apiserver"\n' >tools.go
  go mod tidy -e >/dev/null 2>&1 || true
  CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$dest.partial/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
fi

if [[ ! -x "$dest.partial/etcd" ]]; then
  echo "kube binaries: building etcd v${ETCD_VERSION}"
  mkdir -p "$work/etcd" && cd "$work/etcd"
  go mod init scalesweep.local/etcdbin >/dev/null 2>&1
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >tools.go
  echo "require go.etcd.io/etcd/server/v3 v${ETCD_VERSION}" >>go.mod
  go mod tidy -e >/dev/null 2>&1 || true
  CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$dest.partial/etcd" go.etcd.io/etcd/server/v3
fi

ln -sf "$(command -v kubectl)" "$dest.partial/kubectl"
rm -rf "$dest" && mv "$dest.partial" "$dest"
echo "kube binaries: ready in $dest"
