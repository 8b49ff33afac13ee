# shellcheck shell=bash
# The host side of the node: sysctls, the pod bridge, containerd and images. Sourced by
# e2e/cluster.

# Sysctls that we set (forwarding, bridge netfilter) or that kubelet sets on its own
# (protectKernelDefaults=false: overcommit and panic settings); `down` puts them back.
SYSCTLS=(vm.overcommit_memory kernel.panic kernel.panic_on_oops net.ipv4.ip_forward
  net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables)

host_prepare() {
  # Pod traffic crosses a Linux bridge; kube-proxy's rules only see it with br_netfilter.
  if [[ ! -e /proc/sys/net/bridge/bridge-nf-call-iptables ]]; then
    modprobe br_netfilter 2>/dev/null || warn "no br_netfilter: Service traffic between pods may bypass kube-proxy"
  fi
  # Keep the originals from before the first `up`: a second `up` must not record our own values.
  if [[ ! -f "$STATE/sysctl.orig" ]]; then
    local s v
    for s in "${SYSCTLS[@]}"; do
      v="$(sysctl -n "$s" 2>/dev/null)" && echo "$s=$v"
    done >"$STATE/sysctl.orig.partial"
    mv "$STATE/sysctl.orig.partial" "$STATE/sysctl.orig"
  fi
  sysctl -qw net.ipv4.ip_forward=1
  if [[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]]; then
    sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1
  fi

  # The bridge exists only once the CNI plugin runs for the first pod, but S3Proxy must bind the
  # gateway address before that: make it now, as the bridge plugin would (it adopts it later).
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    log "creating bridge $BRIDGE $POD_GATEWAY/${POD_CIDR#*/}"
    ip link add "$BRIDGE" type bridge
  fi
  if ! grep -qF " $POD_GATEWAY/" <<<"$(ip -4 addr show dev "$BRIDGE")"; then
    ip addr add "$POD_GATEWAY/${POD_CIDR#*/}" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up

  # With Docker's daemon (or anything else) setting the FORWARD policy to DROP, bridged pod
  # traffic is dropped silently. Our rules carry the network's name, so `down` finds them.
  if grep -q -- '^-P FORWARD DROP' <<<"$(iptables -S FORWARD 2>/dev/null)"; then
    local dir
    for dir in -s -d; do
      if ! iptables -C FORWARD "$dir" "$POD_CIDR" -m comment --comment "$CNI_NETWORK" -j ACCEPT 2>/dev/null; then
        log "FORWARD policy is DROP (Docker?): accepting $dir $POD_CIDR"
        iptables -I FORWARD 1 "$dir" "$POD_CIDR" -m comment --comment "$CNI_NETWORK" -j ACCEPT
      fi
    done
  fi
}

containerd_config() {
  mkdir -p "$STATE/containerd" "$STATE/cni/net.d"
  # Separate root, state and socket: a Docker daemon's containerd on the same host is untouched.
  write_config "$STATE/containerd/config.toml" <<EOF && restart_if_running containerd
version = 2
root = "$STATE/containerd/root"
state = "$STATE/containerd/state"
oom_score = 0

[grpc]
  address = "$CONTAINERD_SOCK"

[plugins."io.containerd.internal.v1.opt"]
  path = "$STATE/containerd/opt"

[plugins."io.containerd.grpc.v1.cri"]
  # Packed and imported by e2e/cluster: nothing can be pulled here.
  sandbox_image = "$PAUSE_IMAGE"
  # These machines lack CAP_SYS_RESOURCE: without this every sandbox fails with runc's
  # "can't get final child's PID".
  restrict_oom_score_adj = true
  # Network namespaces under our state folder, not /var/run/netns, so down finds every one.
  netns_mounts_under_state_dir = true
  enable_selinux = false

  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        # kubelet runs with the cgroupfs driver (no systemd here).
        SystemdCgroup = false
        Root = "$STATE/containerd/runc"

  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE/cni/net.d"
EOF

  # The bridge with isGateway makes the host 10.244.0.1 for pods; ipMasq lets pods reach beyond
  # the host. containerd adds the loopback plugin itself.
  # containerd rereads this folder by itself.
  write_config "$STATE/cni/net.d/10-$CNI_NETWORK.conflist" <<EOF || true
{
  "cniVersion": "0.4.0",
  "name": "$CNI_NETWORK",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$POD_GATEWAY"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
}

containerd_up() {
  local pid
  containerd_config
  if pid="$(running_pid containerd)"; then
    log "containerd runs (pid $pid)"
  else
    log "starting containerd"
    start_daemon containerd containerd --config "$STATE/containerd/config.toml"
  fi
  wait_for "containerd" "$TIMEOUT" containerd ctr --address "$CONTAINERD_SOCK" version
}

# pack_image REF OUT.tar ENTRYPOINT FILE...: a one-layer image holding FILEs at / (numeric user
# 65535, as the upstream pause image), written as a docker-save tar that `ctr import` reads.
pack_image() {
  local ref="$1" out="$2" entry="$3" tmp f
  shift 3
  tmp="$(mktemp -d)"
  umoci init --layout "$tmp/oci"
  umoci new --image "$tmp/oci:img"
  umoci unpack --image "$tmp/oci:img" "$tmp/bundle" >/dev/null
  for f in "$@"; do install -m 0755 "$f" "$tmp/bundle/rootfs/$(basename "$f")"; done
  umoci repack --image "$tmp/oci:img" "$tmp/bundle"
  umoci config --image "$tmp/oci:img" --config.entrypoint "$entry" --config.user 65535:65535
  # --insecure-policy: a local copy, no signature policy applies (and /etc/containers may be absent).
  skopeo --insecure-policy copy --quiet "oci:$tmp/oci:img" "docker-archive:$out.partial:$ref"
  mv "$out.partial" "$out"
  rm -rf "$tmp"
}

# import_tar TAR: into containerd's k8s.io namespace, where the CRI plugin (kubelet) sees it.
# Prints the names it imported.
import_tar() {
  local out name
  # --all-platforms: do not drop an image whose config names a platform spelt unlike ours.
  if ! out="$(ctrc images import --all-platforms "$1" 2>&1)"; then
    echo "$out" >&2
    return 1
  fi
  # ctr prints "unpacking NAME (sha256:...)...done" per image.
  while read -r name; do
    [[ -n "$name" ]] || continue
    log "  imported $name"
    echo "$name"
  done < <(sed -n 's/^unpacking \([^ ]*\) .*/\1/p' <<<"$out")
}

pause_image_ensure() {
  local tar="$STATE/images/pause.tar"
  mkdir -p "$STATE/images"
  if [[ ! -f "$tar" || "$BIN/pause" -nt "$tar" ]]; then
    log "packing $PAUSE_IMAGE from $BIN/pause"
    pack_image "$PAUSE_IMAGE" "$tar" /pause "$BIN/pause"
  fi
  if ! image_present "$PAUSE_IMAGE"; then
    log "importing $PAUSE_IMAGE"
    import_tar "$tar" >/dev/null
  fi
}

# The project's images: Jib's buildTar output (docker-save tars), or E2E_IMAGES="a.tar b.tar".
# Run on every `up`, so a rebuilt image replaces the one the node has; a running operator whose
# image changed under the same tag is restarted (IfNotPresent would keep the old one running).
images_import() {
  local tars=() t found=0 before after changed deploy image key names fresh name out
  local imported="$STATE/images/imported"
  if [[ -n "${E2E_IMAGES:-}" ]]; then
    read -r -a tars <<<"$E2E_IMAGES"
  else
    tars=("$REPO_ROOT/operator/target/jib-image.tar" "$REPO_ROOT/trainer-image/target/jib-image.tar")
  fi
  before="$(ctrc images ls 2>/dev/null | awk 'NR > 1 {print $1, $3}')"
  # What was imported from which tar ("PATH SIZE MTIME NAME..."): a tar unchanged since its
  # import, whose images are all still there, is skipped (a 200 MB one takes 10 s or more).
  touch "$imported"
  for t in "${tars[@]}"; do
    if [[ ! -f "$t" ]]; then
      warn "no image tar $t (not built yet?)"
      continue
    fi
    found=1
    key="$(realpath "$t") $(stat -c '%s %Y' "$t")"
    read -r -a names <<<"$(grep -F "$key " "$imported" | head -n1 | cut -d' ' -f4-)"
    fresh=$((${#names[@]} > 0))
    for name in "${names[@]}"; do image_present "$name" || fresh=0; done
    if ((fresh)); then
      log "$t unchanged since its import (${names[*]})"
      continue
    fi
    log "importing $t"
    out="$(import_tar "$t")" || die "ctr could not import $t"
    read -r -a names <<<"${out//$'\n'/ }"
    { grep -vF "$(realpath "$t") " "$imported" || true; echo "$key ${names[*]}"; } >"$imported.new"
    mv "$imported.new" "$imported"
  done
  ((found)) || warn "no project image imported: the operator and trainer pods cannot start until they are"
  after="$(ctrc images ls 2>/dev/null | awk 'NR > 1 {print $1, $3}')"
  # Names whose digest is new.
  changed="$(comm -13 <(sort <<<"$before") <(sort <<<"$after") | cut -d' ' -f1)"
  [[ -n "$changed" ]] || return 0
  deploy="$(kc -n "$OPERATOR_NAMESPACE" get deploy -l "app.kubernetes.io/instance=$RELEASE" -o name 2>/dev/null | head -n1)" || true
  [[ -n "$deploy" ]] || return 0
  image="$(kc -n "$OPERATOR_NAMESPACE" get "$deploy" -o jsonpath='{.spec.template.spec.containers[0].image}')"
  if grep -qFx -- "$(normalize_ref "$image")" <<<"$changed"; then
    log "the operator's image changed: restarting $deploy"
    kc -n "$OPERATOR_NAMESPACE" rollout restart "$deploy" >/dev/null
  fi
}
