# shellcheck shell=bash
# `e2e/cluster down`: stop what `up` started and undo what it (and kubelet, kube-proxy and the
# CNI plugins) changed on the host. Sourced by e2e/cluster.

# Every container of the node, killed through containerd: once kubelet is stopped nothing
# restarts them, and the shims exit with their tasks.
_kill_containers() {
  running_pid containerd >/dev/null || return 0
  local ids id n=0
  ids="$(ctrc tasks ls -q 2>/dev/null || true)"
  for id in $ids; do
    ctrc tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
    n=$((n + 1))
  done
  ((n == 0)) || log "killed $n containers"
  # containerd's CRI plugin deletes a task itself once it has exited: wait for that (deleting it
  # ourselves first only races it), then force what is left.
  local deadline=$((SECONDS + 10))
  while [[ -n "$(ctrc tasks ls -q 2>/dev/null)" ]] && ((SECONDS < deadline)); do sleep 0.2; done
  for id in $(ctrc tasks ls -q 2>/dev/null || true); do
    ctrc tasks delete --force "$id" >/dev/null 2>&1 || warn "could not delete task $id"
  done
  # Their metadata and snapshots too, so the next `up` starts with no stale sandboxes.
  ids="$(ctrc containers ls -q 2>/dev/null || true)"
  for id in $ids; do ctrc containers delete "$id" >/dev/null 2>&1 || true; done
}

# What the CRI plugin kept per sandbox and container (its folders under containerd's root and
# state, which deleting containers through ctr leaves), and libcni's cached results for them in
# /var/lib/cni/results (<network>-<id>-<ifname>, containerd's own cni-loopback ones among them),
# which nothing removes once the sandboxes are gone. After the unmounts: shm mounts live there.
_cri_leftovers_cleanup() {
  local d id
  for d in "$STATE"/containerd/{root,state}/io.containerd.grpc.v1.cri/{sandboxes,containers}; do
    [[ -d "$d" ]] || continue
    for id in "$d"/*; do
      id="$(basename "$id")"
      [[ "$id" == "*" ]] || rm -f /var/lib/cni/results/*-"$id"-*
    done
    rm -rf --one-file-system "$d"
  done
}

# The cgroups kubelet made (kubepods and below, in every v1 hierarchy and in v2): any process
# still in them is a container's, and ours to kill; then the empty tree goes.
_kubepods_cgroups() { find /sys/fs/cgroup -maxdepth 2 -type d -name kubepods 2>/dev/null; }

_kill_kubepods_processes() {
  local pid pids=()
  # Every hierarchy lists the same processes: once each.
  while read -r pid; do pids+=("$pid"); done < <(
    for root in $(_kubepods_cgroups); do find "$root" -name cgroup.procs -exec cat {} + 2>/dev/null; done | sort -un)
  ((${#pids[@]} == 0)) && return 0
  warn "killing ${#pids[@]} leftover container processes: ${pids[*]}"
  kill -KILL "${pids[@]}" 2>/dev/null || true
  sleep 0.5
}

_remove_kubepods_cgroups() {
  local root
  for root in $(_kubepods_cgroups); do
    find "$root" -depth -type d -exec rmdir {} + 2>/dev/null || true
    [[ -d "$root" ]] && warn "could not remove cgroup $root (still in use?)"
  done
  return 0
}

# The processes still naming our state folder (shims of killed containers, a component that
# outlived its pid file), minus this script.
_leftover_pids() { pgrep -f -- "$STATE/" | grep -vx -e "$$" -e "${BASHPID:-$$}" || true; }

_unmount_all() {
  local m n=0
  # Deepest first (a volume inside a pod folder inside the kubelet folder).
  while read -r m; do
    [[ -n "$m" ]] || continue
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || warn "cannot unmount $m"
    n=$((n + 1))
  done < <(findmnt -rn -o TARGET | grep -F -- "$STATE/" | awk '{print length, $0}' | sort -rn | cut -d' ' -f2-)
  ((n == 0)) || log "unmounted $n mounts under $STATE"
}

# Rules and chains that kubelet (KUBE-FIREWALL, KUBE-KUBELET-CANARY, KUBE-IPTABLES-HINT, ...),
# kube-proxy (KUBE-SERVICES, KUBE-SVC-..., ...) and the bridge plugin's ipMasq (CNI-<hash>, rules
# commented with our network's name) made, plus our FORWARD accepts, in IPv4 and IPv6. Done as
# one iptables-restore per table, which parses iptables-save's quoting; rules of anyone else
# (Docker's, for one) stay.
_iptables_cleanup() {
  local fam table saved script
  for fam in iptables ip6tables; do
    command -v "$fam-save" >/dev/null || continue
    for table in filter nat mangle raw; do
      saved="$("$fam-save" -t "$table" 2>/dev/null)" || continue
      script="$(awk -v net="$CNI_NETWORK" -v table="$table" '
        /^:/ { c = substr($1, 2); if (c ~ /^KUBE-/) drop[c] = 1 }
        /^-A / { rules[++n] = $0 }
        END {
          # CNI chains that our network'"'"'s rules jump to are ours as well.
          for (i = 1; i <= n; i++) if (index(rules[i], net)) {
            if (match(rules[i], / -j CNI-[^ ]+/)) drop[substr(rules[i], RSTART + 4, RLENGTH - 4)] = 1
          }
          out = ""
          for (i = 1; i <= n; i++) {
            split(rules[i], f, " "); chain = f[2]
            if (chain in drop) continue
            target = ""
            if (match(rules[i], / -[jg] [^ ]+/)) target = substr(rules[i], RSTART + 4, RLENGTH - 4)
            if ((target in drop) || index(rules[i], net)) {
              sub(/^-A /, "-D ", rules[i]); out = out rules[i] "\n"
            }
          }
          for (c in drop) out = out "-F " c "\n"
          for (c in drop) out = out "-X " c "\n"
          if (out != "") printf "*%s\n%sCOMMIT\n", table, out
        }' <<<"$saved")"
      [[ -n "$script" ]] || continue
      "$fam-restore" --noflush <<<"$script" || warn "$fam-restore could not clean table $table"
    done
  done
}

_restore_sysctls() {
  [[ -f "$STATE/sysctl.orig" ]] || return 0
  local line key
  while read -r line; do
    key="${line%%=*}"
    # Docker's daemon needs forwarding (and bridge netfilter) on: leave them when it runs.
    if pgrep -x dockerd >/dev/null && [[ "$key" == net.* ]]; then continue; fi
    sysctl -qw "$line" 2>/dev/null || warn "cannot restore $line"
  done <"$STATE/sysctl.orig"
  rm -f "$STATE/sysctl.orig"
}

cluster_down() {
  local purge="$1" pids
  [[ -d "$STATE" ]] || { log "nothing to stop: $STATE does not exist"; return 0; }

  # kubelet first: it would restart every container we kill.
  stop_daemon kubelet 30
  _kill_containers
  stop_daemon kube-proxy 20
  stop_daemon kube-scheduler 20
  stop_daemon kube-controller-manager 20
  stop_daemon kube-apiserver 60
  stop_daemon etcd 30
  stop_daemon containerd 30
  stop_daemon s3proxy 20

  # Whatever still names our folder (shims whose tasks would not die, for one) and whatever is
  # still inside kubelet's cgroups.
  pids="$(_leftover_pids)"
  if [[ -n "$pids" ]]; then
    warn "killing leftover processes: ${pids//$'\n'/ }"
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.5
  fi
  _kill_kubepods_processes

  _unmount_all
  _cri_leftovers_cleanup
  _remove_kubepods_cgroups
  _iptables_cleanup
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link delete "$BRIDGE" && log "deleted bridge $BRIDGE"
  fi
  # host-local's leases and libcni's result cache for our network (in /var/lib/cni, where the
  # plugins keep them); stale leases would exhaust the /24 over many runs.
  rm -rf "/var/lib/cni/networks/$CNI_NETWORK" /var/lib/cni/results/"$CNI_NETWORK"-*
  rmdir /var/lib/cni/networks /var/lib/cni/results /var/lib/cni 2>/dev/null || true
  _restore_sysctls

  pids="$(_leftover_pids)"
  if [[ -n "$pids" ]]; then
    ps -o pid,args -p "${pids//$'\n'/,}" >&2 || true
    die "processes of the cluster are still running"
  fi
  if [[ -n "$(_kubepods_cgroups)" ]]; then
    warn "kubepods cgroups remain: $(_kubepods_cgroups | tr '\n' ' ')"
  fi
  log "no process of the cluster left"

  if [[ "$purge" == 1 ]]; then
    # Refuse to delete a folder `up` did not make (E2E_STATE_DIR=/ would be a bad day).
    [[ -f "$STATE/.scalesweep-e2e" ]] || die "$STATE has no .scalesweep-e2e marker: not deleting it"
    grep -qF -- "$STATE/" <<<"$(findmnt -rn -o TARGET)" && die "mounts remain under $STATE: not deleting it"
    rm -rf --one-file-system "$STATE"
    log "deleted $STATE"
  fi
}
