#!/usr/bin/env bash
# Installs, from Debian's packages, what `e2e/cluster up` and the `local-base` image build need:
# a container runtime and CNI plugins for the kubelet, tools to pack images without a registry,
# and the host networking tools kube-proxy uses. Returns at once when everything is there.
set -euo pipefail

packages=(containerd runc containernetworking-plugins iptables conntrack openssl umoci skopeo mmdebstrap)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "e2e packages: installed"
  exit 0
fi
if [[ $EUID -ne 0 ]]; then
  echo "e2e packages: missing ${missing[*]}; install them as root: apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "e2e packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts the packaged containerd service; e2e/cluster runs its own, with its own socket and
# settings, so the packaged one is stopped to keep the two from sharing state or cgroups.
if command -v systemctl >/dev/null && systemctl is-active --quiet containerd 2>/dev/null; then
  systemctl stop containerd || true
fi
echo "e2e packages: installed ${missing[*]}"
