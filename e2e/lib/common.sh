# shellcheck shell=bash
# shellcheck disable=SC2034  # the settings are used by the other files of lib/
# Settings and helpers shared by e2e/cluster's steps. Sourced by e2e/cluster, never run alone.

E2E_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$E2E_LIB/../.." && pwd)"

K8S_VERSION="${K8S_VERSION:-1.32.13}"
# Where .ci/kube-binaries.sh --cluster puts the binaries (fabric8 kube-api-test's cache folder).
BIN="${E2E_KUBE_BIN_DIR:-$HOME/.kubeapitest/k8s/${K8S_VERSION}-linux-amd64}"

# Everything the cluster writes lives under one folder, so `down --purge` is one rm and a process
# of ours is recognisable by that folder on its command line.
STATE="${E2E_STATE_DIR:-/var/lib/scalesweep-e2e}"
STATE="${STATE%/}"
RUN_DIR="$STATE/run"
LOG_DIR="$STATE/logs"
PKI="$STATE/pki"

# Fixed network layout (the issue names these): pods on a bridge, the host is the gateway.
BRIDGE=cni0
POD_CIDR=10.244.0.0/24
POD_GATEWAY=10.244.0.1
SERVICE_CIDR=10.96.0.0/16
KUBERNETES_SVC_IP=10.96.0.1
CNI_NETWORK=scalesweep-e2e   # also the marker on every iptables rule of ours
APISERVER_PORT="${E2E_APISERVER_PORT:-6443}"
ETCD_PORT="${E2E_ETCD_PORT:-2379}"
ETCD_PEER_PORT="${E2E_ETCD_PEER_PORT:-2380}"

S3_PORT="${E2E_S3_PORT:-9000}"
# Bound to the bridge gateway: the one host address that pods and the host both reach.
S3_ENDPOINT="http://${POD_GATEWAY}:${S3_PORT}"
S3_ACCESS_KEY="${E2E_S3_ACCESS_KEY:-scalesweep}"
S3_SECRET_KEY="${E2E_S3_SECRET_KEY:-scalesweep-e2e-secret}"

CONTAINERD_SOCK="$RUN_DIR/containerd.sock"
# No registry is reachable, so the sandbox image is packed here from Kubernetes' own pause.c.
PAUSE_IMAGE="localhost/scalesweep-e2e/pause:3.10"
PROBE_IMAGE="localhost/scalesweep-e2e/probe:1"
KUBECONFIG_PATH="$STATE/kubeconfig"

OPERATOR_NAMESPACE=scalesweep-system
RELEASE=scalesweep
DEMO_NAMESPACE=scalesweep-demo

# Generous by default: the machines have 2 cores that other builds share.
TIMEOUT="${E2E_TIMEOUT:-180}"

NODE_NAME="${E2E_NODE_NAME:-$(hostname | tr '[:upper:]' '[:lower:]')}"

# Under pipefail, `producer | grep -q` fails when grep stops reading early and the producer dies of
# SIGPIPE: every such test here greps a here-string instead.

# --- output -----------------------------------------------------------------------------------
# Progress goes to stderr; stdout carries only the final KUBECONFIG=/S3_ENDPOINT= lines, so a
# caller can capture them with $(e2e/cluster up).
T0=$SECONDS
log() { printf '[e2e %4ds] %s\n' "$((SECONDS - T0))" "$*" >&2; }
warn() { printf '[e2e %4ds] WARNING: %s\n' "$((SECONDS - T0))" "$*" >&2; }
die() {
  printf '[e2e %4ds] ERROR: %s\n' "$((SECONDS - T0))" "$*" >&2
  exit 1
}

# --- host facts -------------------------------------------------------------------------------
# The address the node registers with and the API server advertises: the source address of the
# default route, else the first global IPv4 address that is not ours or Docker's.
node_ip() {
  if [[ -n "${E2E_NODE_IP:-}" ]]; then
    echo "$E2E_NODE_IP"
    return
  fi
  local ip
  ip="$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -n1 || true)"
  if [[ -z "$ip" ]]; then
    ip="$(ip -4 -o addr show scope global 2>/dev/null | awk '$2 != "cni0" && $2 !~ /^docker/ {sub(/\/.*/, "", $4); print $4; exit}' || true)"
  fi
  [[ -n "$ip" ]] || die "cannot tell this host's IPv4 address; set E2E_NODE_IP"
  echo "$ip"
}

kubectl_bin() {
  if [[ -x "$BIN/kubectl" ]]; then
    echo "$BIN/kubectl"
  elif command -v kubectl >/dev/null; then
    command -v kubectl
  else
    die "no kubectl (neither $BIN/kubectl nor on PATH)"
  fi
}
kc() { "$(kubectl_bin)" --kubeconfig "$KUBECONFIG_PATH" "$@"; }
ctrc() { ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }

# --- processes --------------------------------------------------------------------------------
pidfile() { echo "$RUN_DIR/$1.pid"; }

# True when PID is a live process (a zombie is not: PID 1 on these machines may not reap).
alive() {
  local st
  st="$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  [[ -n "$st" && "$st" != Z ]]
}

# True when PID's command line names the state folder, that is, it is one of ours.
ours() { [[ -r "/proc/$1/cmdline" && "$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" == *"$STATE/"* ]]; }

# Prints the PID of component NAME when it runs. A pid file alone proves nothing: PIDs are
# reused, and a stale file must never make us signal a stranger.
running_pid() {
  local f pid
  f="$(pidfile "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(<"$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" && ours "$pid" || return 1
  echo "$pid"
}

# start_daemon NAME CMD...: runs CMD in a session of its own (it outlives this script and a
# Ctrl-C of it), appending its output to logs/NAME.log, its PID to run/NAME.pid.
start_daemon() {
  local name="$1" log="$LOG_DIR/$1.log" pid
  shift
  printf '\n===== %s %s\n' "$(date -Is)" "$*" >>"$log"
  # Without job control a background child is no process-group leader, so setsid calls setsid(2)
  # and execs in place: $! is the daemon itself, not a wrapper.
  # 3>&- 9>&-: not the caller's stdout (kept on fd 3; a daemon holding it would make
  # $(e2e/cluster up) wait forever) nor the lock on fd 9 (a daemon holding it would lock out
  # every later e2e/cluster command).
  setsid "$@" </dev/null >>"$log" 2>&1 3>&- 9>&- &
  pid=$!
  echo "$pid" >"$(pidfile "$name")"
  sleep 0.2
  if alive "$pid" && ! ours "$pid"; then
    # setsid forked after all (or a launcher re-exec'd): find the real one by its command line.
    pid="$(pgrep -n -f -- "$*" || true)"
    [[ -n "$pid" ]] && echo "$pid" >"$(pidfile "$name")"
  fi
}

# restart_if_running NAME: stop component NAME (when its configuration changed), so that the
# next _up starts it again with the new one.
restart_if_running() {
  if running_pid "$1" >/dev/null; then
    log "$1's configuration changed: restarting it"
    stop_daemon "$1"
  fi
}

# wait_for WHAT SECONDS COMPONENT CMD...: polls CMD until it succeeds. Gives up after SECONDS, or
# at once when COMPONENT (if not empty) has died, showing the end of its log either way.
wait_for() {
  local what="$1" secs="$2" comp="$3" deadline
  shift 3
  deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if [[ -n "$comp" ]] && ! running_pid "$comp" >/dev/null; then
      tail -n 25 "$LOG_DIR/$comp.log" >&2 || true
      die "$comp exited while waiting for $what (whole log: $LOG_DIR/$comp.log)"
    fi
    if ((SECONDS >= deadline)); then
      [[ -n "$comp" ]] && { tail -n 25 "$LOG_DIR/$comp.log" >&2 || true; }
      die "timed out after ${secs}s waiting for $what${comp:+ (log: $LOG_DIR/$comp.log)}"
    fi
    sleep 0.5
  done
}

# stop_daemon NAME [GRACE]: SIGTERM, a second SIGTERM after 5 s (kube-apiserver sometimes sits
# out the first one for over a minute), SIGKILL once GRACE seconds have passed.
stop_daemon() {
  local name="$1" grace="${2:-30}" pid deadline resent=0
  if ! pid="$(running_pid "$name")"; then
    rm -f "$(pidfile "$name")"
    return 0
  fi
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + grace))
  local second=$((SECONDS + 5))
  while alive "$pid"; do
    if ((resent == 0 && SECONDS >= second)); then
      kill -TERM "$pid" 2>/dev/null || true
      resent=1
    fi
    if ((SECONDS >= deadline)); then
      warn "$name still runs ${grace}s after SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$(pidfile "$name")"
}

# --- misc -------------------------------------------------------------------------------------
# write_config FILE < CONTENT: replaces FILE only when CONTENT differs, and then returns 0 (else 1)
# so the caller restarts the component that reads it. Rewriting an unchanged file is not
# harmless: kube-proxy watches its configuration and exits when the file is written.
write_config() {
  local file="$1"
  cat >"$file.new"
  if [[ -f "$file" ]] && cmp -s "$file" "$file.new"; then
    rm -f "$file.new"
    return 1
  fi
  mv "$file.new" "$file"
}

# The project version (the images' tag): the first <version> of the root pom that is not inside
# its <parent> block.
project_version() {
  awk '/<parent>/{p=1} /<\/parent>/{p=0; next} !p && /<version>/ {
         sub(/.*<version>/, ""); sub(/<\/version>.*/, ""); print; exit }' "$REPO_ROOT/pom.xml"
}

# An image reference as containerd names it: Docker Hub's implicit domain and library/ spelt out.
normalize_ref() {
  local ref="$1" first="${1%%/*}"
  if [[ "$ref" != */* ]]; then
    ref="docker.io/library/$ref"
  elif [[ "$first" != *.* && "$first" != *:* && "$first" != localhost ]]; then
    ref="docker.io/$ref"
  fi
  [[ "${ref##*/}" == *:* || "$ref" == *@* ]] || ref="$ref:latest"
  echo "$ref"
}

image_present() { grep -qFx -- "$(normalize_ref "$1")" <<<"$(ctrc images ls -q 2>/dev/null)"; }
