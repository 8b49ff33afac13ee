# shellcheck shell=bash
# etcd, the control plane, kubelet and kube-proxy. Sourced by e2e/cluster.

# _up NAME CMD...: start component NAME as CMD unless it already runs (up is idempotent).
_up() {
  local name="$1" pid
  shift
  if pid="$(running_pid "$name")"; then
    log "$name runs (pid $pid)"
  else
    log "starting $name"
    start_daemon "$name" "$@"
  fi
}

# Refuse early when someone else holds a port we need: the component would only die later with a
# bind error buried in its log.
_port_free_or_ours() {
  local name="$1" port="$2"
  running_pid "$name" >/dev/null && return 0
  if [[ -n "$(ss -Htln "sport = :$port" 2>/dev/null)" ]]; then
    die "port $port (for $name) is taken by another process: $(ss -Htlnp "sport = :$port" | head -n1)"
  fi
}

etcd_up() {
  _port_free_or_ours etcd "$ETCD_PORT"
  # Plain HTTP on loopback only: nothing but the API server on this host talks to it.
  # --unsafe-no-fsync: a throwaway test cluster on a busy 2-core machine; fsync stalls would
  # otherwise time out API requests.
  _up etcd "$BIN/etcd" --name e2e --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "e2e=http://127.0.0.1:$ETCD_PEER_PORT" \
    --unsafe-no-fsync --log-level warn
}

apiserver_up() {
  _port_free_or_ours kube-apiserver "$APISERVER_PORT"
  _up kube-apiserver "$BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 0.0.0.0 --secure-port "$APISERVER_PORT" --advertise-address "$(node_ip)" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --allow-privileged=true \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP \
    --requestheader-client-ca-file "$PKI/front-proxy-ca.crt" \
    --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User \
    --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$PKI/front-proxy-client.crt" \
    --proxy-client-key-file "$PKI/front-proxy-client.key" \
    --enable-aggregator-routing=true \
    --profiling=false
  # The host name resolves to 127.0.0.1 here, so kubelet-preferred-address-types=InternalIP
  # above is what makes `kubectl logs` and `exec` reach the kubelet.
}

apiserver_ready() { "$(kubectl_bin)" --kubeconfig "$KUBECONFIG_PATH" get --raw /readyz >/dev/null 2>&1; }

controller_manager_up() {
  # --root-ca-file: without it kube-root-ca.crt is not published and token volumes hang.
  _up kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig "$PKI/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$PKI/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$PKI/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 \
    --root-ca-file "$PKI/ca.crt" \
    --service-account-private-key-file "$PKI/sa.key" \
    --use-service-account-credentials=true \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --leader-elect=false
}

scheduler_up() {
  _up kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig "$PKI/scheduler.kubeconfig" \
    --authentication-kubeconfig "$PKI/scheduler.kubeconfig" \
    --authorization-kubeconfig "$PKI/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 \
    --leader-elect=false
}

kubelet_up() {
  mkdir -p "$STATE/kubelet"
  write_config "$STATE/kubelet/config.yaml" <<EOF && restart_if_running kubelet
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$PKI/ca.crt"}
authorization: {mode: Webhook}
# No systemd here; cgroup v1 with separate hierarchies, which 1.35 would refuse by default.
cgroupDriver: cgroupfs
failCgroupV1: false
# Lacking CAP_SYS_RESOURCE, kubelet cannot lower its own OOM score.
oomScoreAdj: 0
failSwapOn: false
containerRuntimeEndpoint: "unix://$CONTAINERD_SOCK"
imageServiceEndpoint: "unix://$CONTAINERD_SOCK"
resolvConf: /etc/resolv.conf
clusterDomain: cluster.local
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
serializeImagePulls: false
# Imported images cannot be pulled again: never garbage-collect them, and do not evict or taint
# the node because a shared build machine's disk is fuller than a production node's would be.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: 100Mi
  nodefs.available: 1%
  nodefs.inodesFree: 1%
  imagefs.available: 1%
EOF
  _up kubelet "$BIN/kubelet" \
    --config "$STATE/kubelet/config.yaml" \
    --kubeconfig "$PKI/kubelet.kubeconfig" \
    --root-dir "$STATE/kubelet" \
    --hostname-override "$NODE_NAME" \
    --node-ip "$(node_ip)"
}

kube_proxy_up() {
  mkdir -p "$STATE/kube-proxy"
  # iptables mode: the in-cluster operator reaches the API server through the kubernetes
  # Service's ClusterIP. Zeros leave the host's conntrack sysctls alone (not writable here, and
  # nothing to restore); localhostNodePorts=false leaves route_localnet alone; NodePorts on the
  # node's address only.
  write_config "$STATE/kube-proxy/config.yaml" <<EOF && restart_if_running kube-proxy
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: "$PKI/kube-proxy.kubeconfig"
mode: iptables
clusterCIDR: "$POD_CIDR"
hostnameOverride: "$NODE_NAME"
bindAddress: 0.0.0.0
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
nodePortAddresses: [primary]
iptables:
  localhostNodePorts: false
EOF
  _up kube-proxy "$BIN/kube-proxy" --config "$STATE/kube-proxy/config.yaml"
}

# Ready, as reported by the kubelet that runs now: after a `down` and `up` etcd still holds the
# previous kubelet's Ready=True, so the heartbeat must be newer than this kubelet's start.
node_ready() {
  local cond status beat started
  cond="$(kc get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].lastHeartbeatTime}' 2>/dev/null)" || return 1
  read -r status beat <<<"$cond"
  [[ "$status" == True && -n "$beat" ]] || return 1
  started="$(stat -c %Y "$(pidfile kubelet)")"
  (($(date -d "$beat" +%s) >= started))
}

# kube-proxy has programmed the kubernetes Service (what the in-cluster operator needs).
service_rules_ready() { grep -qF 'default/kubernetes:https' <<<"$(iptables -t nat -S KUBE-SERVICES 2>/dev/null)"; }

control_plane_up() {
  etcd_up
  wait_for "etcd" "$TIMEOUT" etcd curl -fsS "http://127.0.0.1:$ETCD_PORT/health"
  apiserver_up
  wait_for "kube-apiserver /readyz" "$TIMEOUT" kube-apiserver apiserver_ready
  controller_manager_up
  scheduler_up
  kubelet_up
  kube_proxy_up
  wait_for "node $NODE_NAME Ready" "$TIMEOUT" kubelet node_ready
  wait_for "kube-proxy's rules for the kubernetes Service" "$TIMEOUT" kube-proxy service_rules_ready
  wait_for "kube-controller-manager" "$TIMEOUT" kube-controller-manager curl -fsSk https://127.0.0.1:10257/healthz
  wait_for "kube-scheduler" "$TIMEOUT" kube-scheduler curl -fsSk https://127.0.0.1:10259/healthz
  # Pods need the namespace's default ServiceAccount and kube-root-ca.crt, both from the
  # controller manager.
  wait_for "the default ServiceAccount" "$TIMEOUT" kube-controller-manager kc -n default get serviceaccount default
  log "node $NODE_NAME Ready"
}
