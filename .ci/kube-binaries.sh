#!/usr/bin/env bash
# Builds the parts of Kubernetes that the tests need from the Go module proxy, into the folder
# where fabric8 kube-api-test looks for them (~/.kubeapitest/k8s/<version>-linux-amd64/), so the
# tests run on a machine without internet and without a container registry.
#
#   .ci/kube-binaries.sh            kube-apiserver and etcd (the operator's integration tests)
#   .ci/kube-binaries.sh --cluster  also kube-controller-manager, kube-scheduler, kubelet,
#                                   kube-proxy, helm and the pause binary (e2e/cluster up)
#   .ci/kube-binaries.sh --simulated  kube-controller-manager, kube-scheduler, KWOK's kwok and
#                                   Kueue's manager (with the module's config/ folder beside it)
#                                   for e2e/simulated-cluster; never part of the default CI run
#
# Each binary is built once and cached; a second run with everything present returns at once.
# With internet, kube-api-test downloads its binaries itself and none of this is needed.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.32.13}"
ETCD_VERSION="${ETCD_VERSION:-3.5.21}"
HELM_VERSION="${HELM_VERSION:-3.18.6}"
dest="${HOME}/.kubeapitest/k8s/${K8S_VERSION}-linux-amd64"

KWOK_VERSION="${KWOK_VERSION:-0.8.0}"
KUEUE_VERSION="${KUEUE_VERSION:-0.17.0}"

components=(kube-apiserver etcd)
for arg in "$@"; do
  case "$arg" in
    --cluster) components+=(kube-controller-manager kube-scheduler kubelet kube-proxy helm pause) ;;
    --simulated) components+=(kube-controller-manager kube-scheduler "kwok-v$KWOK_VERSION" "kueue-v$KUEUE_VERSION"
      "kueue-v$KUEUE_VERSION-config") ;;
    *) echo "kube binaries: unknown option $arg (--cluster, --simulated)" >&2; exit 2 ;;
  esac
done

missing=()
for c in "${components[@]}"; do
  if [[ "$c" == *-config ]]; then
    [[ -f "$dest/$c/webhook/manifests.yaml" ]] || missing+=("$c")
  else
    [[ -x "$dest/$c" ]] || missing+=("$c")
  fi
done
# Each component once, in order (--cluster and --simulated share two).
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk 'NF && !seen[$0]++')
# An API server from before this script set version ldflags reports v0.0.0: rebuild it (the
# compile is cached, only the link runs again).
if [[ -x "$dest/kube-apiserver" ]] && "$dest/kube-apiserver" --version | grep -q 'v0\.0\.0'; then
  missing+=(kube-apiserver)
fi
[[ -e "$dest/kubectl" ]] || missing+=(kubectl)
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "kube binaries: cached in $dest"
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "kube binaries: no Go here to build ${missing[*]}; kube-api-test will download its own (needs internet)" >&2
  exit 0
fi
echo "kube binaries: building ${missing[*]} into $dest (the first time takes 10 to 20 minutes on 2 cores)"
mkdir -p "$dest"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Version ldflags: kubectl, helm and the operator's client read the server's version and refuse
# the "v0.0.0-master" a plain `go build` reports.
version_pkg=k8s.io/component-base/version
ldflags="-s -w -X ${version_pkg}.gitVersion=v${K8S_VERSION} -X ${version_pkg}.gitMajor=${K8S_VERSION%%.*}"
ldflags+=" -X ${version_pkg}.gitMinor=$(cut -d. -f2 <<<"$K8S_VERSION") -X ${version_pkg}.gitTreeState=clean"

kube_module() {
  [[ -f "$work/kube/go.mod" ]] && return
  mkdir -p "$work/kube" && cd "$work/kube"
  go mod init scalesweep.local/kubebin >/dev/null 2>&1
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with local paths
  # that do not exist outside its own tree; point each one at the published v0.Y.Z instead.
  local kmod staging_version cmd
  kmod="$(go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  staging_version="v0.${K8S_VERSION#1.}"
  {
    echo "require k8s.io/kubernetes v${K8S_VERSION}"
    grep -oE '^\s*k8s.io/[a-z0-9-]+ => \./staging' "$kmod" | awk '{print $1}' | sort -u |
      while read -r m; do
        v="$staging_version"
        # The proxy refuses this one module at .13; .12 is API-identical.
        [[ "$m" == k8s.io/endpointslice && "$v" == v0.32.13 ]] && v=v0.32.12
        echo "replace $m => $m $v"
      done
  } >>go.mod
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    for cmd in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
      printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$cmd"
    done
    printf ')\n'
  } >tools.go
  go mod tidy -e >/dev/null 2>&1 || true
}

for c in "${missing[@]}"; do
  case "$c" in
    kube-*|kubelet)
      kube_module
      echo "kube binaries: $c v${K8S_VERSION}"
      (cd "$work/kube" && CGO_ENABLED=0 go build -trimpath -ldflags="$ldflags" -o "$dest/$c.partial" "k8s.io/kubernetes/cmd/$c")
      ;;
    etcd)
      echo "kube binaries: etcd v${ETCD_VERSION}"
      mkdir -p "$work/etcd" && cd "$work/etcd"
      go mod init scalesweep.local/etcdbin >/dev/null 2>&1
      printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >tools.go
      echo "require go.etcd.io/etcd/server/v3 v${ETCD_VERSION}" >>go.mod
      go mod tidy -e >/dev/null 2>&1 || true
      CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$dest/$c.partial" go.etcd.io/etcd/server/v3
      ;;
    helm)
      echo "kube binaries: helm v${HELM_VERSION}"
      GOBIN="$work/gobin" CGO_ENABLED=0 go install -trimpath -ldflags='-s -w' "helm.sh/helm/v3/cmd/helm@v${HELM_VERSION}"
      mv "$work/gobin/helm" "$dest/$c.partial"
      ;;
    pause)
      # The sandbox ("pause") container's binary, from Kubernetes' own source: no registry
      # serves registry.k8s.io/pause here, so e2e/cluster packs this into an image itself.
      echo "kube binaries: pause"
      kube_module
      src="$(go list -m -json "k8s.io/kubernetes" 2>/dev/null | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
      [[ -n "$src" ]] || src="$(go env GOMODCACHE)/k8s.io/kubernetes@v${K8S_VERSION}"
      gcc -Os -static -o "$dest/$c.partial" -DVERSION="v${K8S_VERSION}" "$src/build/pause/linux/pause.c"
      ;;
    kwok-v*)
      # KWOK and Kueue carry no replace directives: `go install module@version` builds them as
      # released, from the proxy alone.
      echo "kube binaries: kwok v${KWOK_VERSION}"
      GOBIN="$work/gobin" CGO_ENABLED=0 go install -trimpath -ldflags='-s -w' "sigs.k8s.io/kwok/cmd/kwok@v${KWOK_VERSION}"
      mv "$work/gobin/kwok" "$dest/$c.partial"
      ;;
    kueue-v*-config)
      # The CRDs and webhook manifests e2e/simulated-cluster applies, from the module itself.
      echo "kube binaries: Kueue v${KUEUE_VERSION}'s config/components (CRDs, webhooks)"
      src="$(cd "$work" && go mod download -json "sigs.k8s.io/kueue@v${KUEUE_VERSION}" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
      [[ -d "$src/config/components/crd/bases" ]] || { echo "kube binaries: no config/ in sigs.k8s.io/kueue@v${KUEUE_VERSION}" >&2; exit 1; }
      rm -rf "$dest/$c.partial" && mkdir -p "$dest/$c.partial"
      cp -r "$src/config/components/crd" "$src/config/components/webhook" "$dest/$c.partial/"
      chmod -R u+w "$dest/$c.partial"
      rm -rf "${dest:?}/$c"
      ;;
    kueue-v*)
      echo "kube binaries: kueue v${KUEUE_VERSION}"
      GOBIN="$work/gobin" CGO_ENABLED=0 go install -trimpath -ldflags='-s -w' "sigs.k8s.io/kueue/cmd/kueue@v${KUEUE_VERSION}"
      mv "$work/gobin/kueue" "$dest/$c.partial"
      ;;
    kubectl)
      ln -sf "$(command -v kubectl)" "$dest/kubectl"
      continue
      ;;
  esac
  mv "$dest/$c.partial" "$dest/$c"
done
echo "kube binaries: ready in $dest"
