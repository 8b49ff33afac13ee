# shellcheck shell=bash
# shellcheck disable=SC2034  # settings used by e2e/simulated-cluster
# The simulated GPU cluster's parts: a control plane without kubelet, KWOK's fake GPU nodes,
# Kueue outside the cluster with its webhooks on localhost, the fake trainer and the operator as
# host processes. Sourced by e2e/simulated-cluster after common.sh, pki.sh, kube.sh and s3.sh.

SIM_DIR="$REPO_ROOT/e2e/simulated"
KWOK_VERSION="${KWOK_VERSION:-0.8.0}"
KUEUE_VERSION="${KUEUE_VERSION:-0.17.0}"
KWOK_BIN="$BIN/kwok-v$KWOK_VERSION"
KUEUE_BIN="$BIN/kueue-v$KUEUE_VERSION"
# The module's config/ folder (CRDs, webhook manifests), copied by .ci/kube-binaries.sh.
KUEUE_CONFIG="$BIN/kueue-v$KUEUE_VERSION-config"

KCM_PORT="${SIM_KCM_PORT:-11257}"
SCHEDULER_PORT="${SIM_SCHEDULER_PORT:-11259}"
KUEUE_WEBHOOK_PORT="${SIM_KUEUE_WEBHOOK_PORT:-9543}"
KUEUE_HEALTH_PORT="${SIM_KUEUE_HEALTH_PORT:-9581}"
KUEUE_METRICS_PORT="${SIM_KUEUE_METRICS_PORT:-9544}"
OPERATOR_PORT="${SIM_OPERATOR_PORT:-8580}"

# The fake nodes: NODE_PREFIX-0 .. NODE_PREFIX-(N-1), each a DGX-like box.
NODE_PREFIX=sim-gpu
NODE_GPUS="${SIM_NODE_GPUS:-8}"
NODE_CPU="${SIM_NODE_CPU:-128}"
NODE_MEMORY_GI="${SIM_NODE_MEMORY_GI:-2048}"
NODE_PODS="${SIM_NODE_PODS:-110}"
SIM_LABEL=scalesweep.io/simulated
KWOK_POD_CIDR="${SIM_POD_CIDR:-10.128.0.0/16}"

# Kueue's objects: one flavor, one ClusterQueue holding the whole cluster, a LocalQueue of the
# same name in each namespace that `queue` sets up.
QUEUE=sim-gpu
SIM_NAMESPACE=scalesweep-sim
# The webhooks of Kueue's own kinds and of batch/v1 Jobs (the only integration enabled here).
KUEUE_WEBHOOKS=(mclusterqueue.kb.io mresourceflavor.kb.io mworkload.kb.io mjob.kb.io
  vclusterqueue.kb.io vcohort.kb.io vresourceflavor.kb.io vworkload.kb.io vjob.kb.io)

# The fake trainer's simulated hardware (FakeTrainer.java): FLOP/s of one GPU, simulated seconds
# per wall second, the shortest attempt in wall seconds.
FLOPS_PER_GPU_SECOND="${SIM_FLOPS_PER_GPU_SECOND:-1e14}"
TIME_SCALE="${SIM_TIME_SCALE:-10000}"
MIN_SECONDS="${SIM_MIN_SECONDS:-1}"

# The operator build the host process runs (snapshotted into the state folder, so a rebuild in
# the work tree never changes a running operator under its feet).
OPERATOR_APP_SRC="${SIM_OPERATOR_APP:-$REPO_ROOT/operator/target/quarkus-app}"
OPERATOR_APP="$STATE/operator/quarkus-app"

# S3Proxy as e2e/cluster runs it (s3.sh), on loopback. Its classpath is resolved with Maven once;
# the real e2e cluster's cached one is as good (s3.sh checks it is still current).
sim_s3proxy_start() {
  local ours="$STATE/s3proxy/classpath.txt" theirs=/var/lib/scalesweep-e2e/s3proxy/classpath.txt
  if [[ ! -s "$ours" && -s "$theirs" ]]; then
    mkdir -p "$STATE/s3proxy"
    cp -p "$theirs" "$ours"
  fi
  s3proxy_start
}

# --- control plane (no kubelet, no kube-proxy) --------------------------------------------------

# Like kube.sh's, on ports of their own so the real e2e cluster's run beside them, and with room
# for hundreds of Jobs (the defaults are 20 requests/s).
sim_controller_manager_up() {
  _port_free_or_ours kube-controller-manager "$KCM_PORT"
  _up kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig "$PKI/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$PKI/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$PKI/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$KCM_PORT" \
    --root-ca-file "$PKI/ca.crt" \
    --service-account-private-key-file "$PKI/sa.key" \
    --use-service-account-credentials=true \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --kube-api-qps 200 --kube-api-burst 400 --concurrent-job-syncs 10 \
    --leader-elect=false
}

sim_scheduler_up() {
  _port_free_or_ours kube-scheduler "$SCHEDULER_PORT"
  mkdir -p "$STATE/kube-scheduler"
  write_config "$STATE/kube-scheduler/config.yaml" <<EOF && restart_if_running kube-scheduler
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: "$PKI/scheduler.kubeconfig"
  qps: 200
  burst: 400
leaderElection:
  leaderElect: false
EOF
  _up kube-scheduler "$BIN/kube-scheduler" \
    --config "$STATE/kube-scheduler/config.yaml" \
    --authentication-kubeconfig "$PKI/scheduler.kubeconfig" \
    --authorization-kubeconfig "$PKI/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$SCHEDULER_PORT"
}

sim_control_plane_up() {
  etcd_up
  wait_for "etcd" "$TIMEOUT" etcd curl -fsS "http://127.0.0.1:$ETCD_PORT/health"
  apiserver_up
  wait_for "kube-apiserver /readyz" "$TIMEOUT" kube-apiserver apiserver_ready
  sim_controller_manager_up
  sim_scheduler_up
  wait_for "kube-controller-manager" "$TIMEOUT" kube-controller-manager curl -fsSk "https://127.0.0.1:$KCM_PORT/healthz"
  wait_for "kube-scheduler" "$TIMEOUT" kube-scheduler curl -fsSk "https://127.0.0.1:$SCHEDULER_PORT/healthz"
  wait_for "the default ServiceAccount" "$TIMEOUT" kube-controller-manager kc -n default get serviceaccount default
}

# --- CRDs ------------------------------------------------------------------------------------

_crds_established() { kc wait --for condition=established --timeout=2s "$@" >/dev/null 2>&1; }

# Kueue's from its module's config/components/crd/bases (conversion strategy None: everything
# here speaks v1beta2, Kueue's storage version) and the operator's from the chart.
sim_crds() {
  [[ -d "$KUEUE_CONFIG/crd/bases" ]] || die "no $KUEUE_CONFIG/crd/bases: run .ci/kube-binaries.sh --simulated"
  kc apply --server-side --force-conflicts -f "$KUEUE_CONFIG/crd/bases" >/dev/null
  kc apply --server-side --force-conflicts -f "$(scalesweep_crds)" >/dev/null
  wait_for "the CRDs to be established" "$TIMEOUT" kube-apiserver _crds_established \
    crd/clusterqueues.kueue.x-k8s.io crd/localqueues.kueue.x-k8s.io crd/workloads.kueue.x-k8s.io \
    crd/resourceflavors.kueue.x-k8s.io crd/workloadpriorityclasses.kueue.x-k8s.io \
    crd/scalingsweeps.scalesweep.io crd/trainingjobs.scalesweep.io
  log "CRDs: Kueue v$KUEUE_VERSION and scalesweep"
}

# The operator's CRDs as the build that runs was generated with (its api jar carries them): the
# chart's in the work tree may be ahead of that build, and an operator that meets a field it does
# not know stops watching. The chart's when there is no build.
scalesweep_crds() {
  local jar d="$STATE/crds"
  jar="$(find "$OPERATOR_APP/lib/main" -maxdepth 1 -name '*scalesweep-api-*.jar' 2>/dev/null | head -n1)" || true
  if [[ -n "$jar" ]] && unzip -Z1 "$jar" 'META-INF/fabric8/*.yml' >/dev/null 2>&1; then
    rm -rf "$d" && mkdir -p "$d"
    unzip -q -j -o "$jar" 'META-INF/fabric8/*.yml' -d "$d"
    echo "$d"
  else
    echo "$REPO_ROOT/charts/scalesweep/crds"
  fi
}

# --- Kueue -----------------------------------------------------------------------------------

# Kueue runs as a host process, as its integration tests run its manager against envtest: the
# API server reaches its webhooks by URL on 127.0.0.1, with a serving certificate from our CA.
kueue_up() {
  local d="$STATE/kueue" pid
  mkdir -p "$d/certs" "$d/etc"
  _pki_cert kueue-webhook ca kueue-webhook "" serverAuth "DNS:localhost, IP:127.0.0.1"
  install -m 600 "$PKI/kueue-webhook.crt" "$d/certs/tls.crt"
  install -m 600 "$PKI/kueue-webhook.key" "$d/certs/tls.key"
  write_config "$d/config.yaml" <<EOF && restart_if_running kueue
apiVersion: config.kueue.x-k8s.io/v1beta2
kind: Configuration
namespace: kueue-system
health:
  healthProbeBindAddress: 127.0.0.1:$KUEUE_HEALTH_PORT
metrics:
  bindAddress: 127.0.0.1:$KUEUE_METRICS_PORT
webhook:
  host: 127.0.0.1
  port: $KUEUE_WEBHOOK_PORT
  certDir: $d/certs
leaderElection:
  leaderElect: false
# Our CA signs the webhook certificate; nothing in the cluster to rotate.
internalCertManagement:
  enable: false
# Workers per kind as Kueue's own manifests set them (config/components/manager); without this
# every controller has one, and a 1,000-trial sweep waited on Kueue unsuspending and releasing
# Jobs (128 GPUs reserved, 1 in use), not on the quota.
controller:
  groupKindConcurrency:
    Job.batch: 5
    Workload.kueue.x-k8s.io: 5
    LocalQueue.kueue.x-k8s.io: 1
    ClusterQueue.kueue.x-k8s.io: 1
    ResourceFlavor.kueue.x-k8s.io: 1
clientConnection:
  qps: 200
  burst: 400
integrations:
  frameworks: ["batch/job"]
# The on-demand visibility API is an aggregated API server that expects to run in the cluster.
featureGates:
  VisibilityOnDemand: false
EOF
  kc get namespace kueue-system >/dev/null 2>&1 || kc create namespace kueue-system >/dev/null
  if pid="$(running_pid kueue)"; then
    log "kueue runs (pid $pid)"
  else
    local p
    for p in "$KUEUE_WEBHOOK_PORT" "$KUEUE_HEALTH_PORT" "$KUEUE_METRICS_PORT"; do _port_free_or_ours kueue "$p"; done
    # Without internal certificate management Kueue insists on a metrics certificate at the fixed
    # path /etc/kueue/metrics/certs. Rather than write into the host's /etc, it runs in a mount
    # namespace of its own where /etc is an overlay holding that file; the host sees nothing, and
    # the namespace ends with the process.
    log "starting kueue v$KUEUE_VERSION (webhooks on https://127.0.0.1:$KUEUE_WEBHOOK_PORT)"
    # shellcheck disable=SC2016  # expanded by the inner shell
    start_daemon kueue unshare --mount --propagation private -- /bin/sh -c '
      set -e
      d="$1"; certs="$2"; shift 2
      mount -t tmpfs -o size=1m,mode=0700 sim-kueue "$d"
      mkdir -p "$d/upper/kueue/metrics/certs" "$d/work"
      cp "$certs/tls.crt" "$certs/tls.key" "$d/upper/kueue/metrics/certs/"
      mount -t overlay sim-kueue-etc -o "lowerdir=/etc,upperdir=$d/upper,workdir=$d/work" /etc
      exec "$@"' sim-kueue "$d/etc" "$d/certs" \
      env KUBECONFIG="$KUBECONFIG_PATH" "$KUEUE_BIN" --config "$d/config.yaml" --zap-log-level=info
  fi
  wait_for "kueue /readyz" "$TIMEOUT" kueue curl -fsS "http://127.0.0.1:$KUEUE_HEALTH_PORT/readyz"
  kueue_webhooks
}

# The module's webhook manifests, reduced to the webhooks of Kueue's kinds and of Jobs and
# pointed at 127.0.0.1 by URL (no Service: Kueue is not in the cluster).
kueue_webhooks() {
  local keep
  keep="$(printf '%s\n' "${KUEUE_WEBHOOKS[@]}" | jq -R . | jq -sc .)"
  kc create --dry-run=client -o json -f "$KUEUE_CONFIG/webhook/manifests.yaml" |
    jq --argjson keep "$keep" --arg base "https://127.0.0.1:$KUEUE_WEBHOOK_PORT" \
      --arg ca "$(base64 -w0 <"$PKI/ca.crt")" '
      (if .kind == "List" then .items else [.] end)[]
      | .metadata = {name: ("scalesweep-sim-kueue-" + (if .kind == "MutatingWebhookConfiguration" then "mutating" else "validating" end))}
      | .webhooks |= map(select(.name as $n | $keep | index($n))
          | .clientConfig = {url: ($base + .clientConfig.service.path), caBundle: $ca})' |
    kc apply -f - >/dev/null
  log "Kueue webhooks registered at https://127.0.0.1:$KUEUE_WEBHOOK_PORT"
}

# The flavor, the ClusterQueue with the whole cluster as its quota, priority classes. Reapplied
# by every up, so the quota follows the node count.
kueue_objects() {
  local n="$1"
  kc apply -f - >/dev/null <<EOF
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: scalesweep-high}
value: 1000
description: "Sweeps that may preempt scalesweep-low ones (Kueue and the scheduler)."
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: scalesweep-low}
value: 100
description: "Sweeps that yield to scalesweep-high ones."
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: WorkloadPriorityClass
metadata: {name: scalesweep-high}
value: 1000
description: "Kueue-only priority (label kueue.x-k8s.io/priority-class on the Job)."
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: WorkloadPriorityClass
metadata: {name: scalesweep-low}
value: 100
description: "Kueue-only priority (label kueue.x-k8s.io/priority-class on the Job)."
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: ResourceFlavor
metadata: {name: $QUEUE}
spec:
  nodeLabels: {$SIM_LABEL: "true"}
---
apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: $QUEUE}
spec:
  namespaceSelector: {}
  queueingStrategy: BestEffortFIFO
  preemption:
    withinClusterQueue: LowerPriority
  resourceGroups:
  - coveredResources: [cpu, memory, nvidia.com/gpu]
    flavors:
    - name: $QUEUE
      resources:
      - {name: cpu, nominalQuota: "$((n * NODE_CPU))"}
      - {name: memory, nominalQuota: "$((n * NODE_MEMORY_GI))Gi"}
      - {name: nvidia.com/gpu, nominalQuota: "$((n * NODE_GPUS))"}
EOF
  log "ClusterQueue $QUEUE: $((n * NODE_GPUS)) nvidia.com/gpu, $((n * NODE_CPU)) cpu, $((n * NODE_MEMORY_GI))Gi; priority classes scalesweep-high (1000), scalesweep-low (100)"
}

# queue NAMESPACE: the namespace (made if missing), its LocalQueue and the S3 Secret sweeps name.
sim_queue() {
  local ns="$1"
  [[ "$ns" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || die "not a namespace name: $ns"
  kc get namespace "$ns" >/dev/null 2>&1 || kc create namespace "$ns" >/dev/null
  kc apply -f - >/dev/null <<EOF
apiVersion: kueue.x-k8s.io/v1beta2
kind: LocalQueue
metadata: {name: $QUEUE, namespace: $ns}
spec:
  clusterQueue: $QUEUE
EOF
  kc -n "$ns" create secret generic s3-credentials \
    --from-literal=AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" \
    --from-literal=AWS_SECRET_ACCESS_KEY="$S3_SECRET_KEY" \
    --dry-run=client -o yaml | kc apply -f - >/dev/null
  log "namespace $ns: LocalQueue $QUEUE -> ClusterQueue $QUEUE, Secret s3-credentials"
}

# --- KWOK and the fake nodes -------------------------------------------------------------------

kwok_up() {
  local d="$STATE/kwok" f
  mkdir -p "$d"
  # The stages as this up found them: editing the repo's files later changes nothing running.
  for f in "$SIM_DIR"/stages/*.yaml; do printf -- '---\n'; cat "$f"; done | write_config "$d/stages.yaml" &&
    restart_if_running kwok
  _up kwok "$KWOK_BIN" --kubeconfig "$KUBECONFIG_PATH" --config "$d/stages.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --cidr "$KWOK_POD_CIDR" --node-lease-duration-seconds 40
}

# sim_nodes N: nodes NODE_PREFIX-0..N-1 exist, and no other simulated node.
sim_nodes() {
  local n="$1" i name
  {
    for ((i = 0; i < n; i++)); do
      name="$NODE_PREFIX-$i"
      cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: $name
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    $SIM_LABEL: "true"
    type: kwok
    kubernetes.io/arch: amd64
    kubernetes.io/os: linux
    kubernetes.io/hostname: $name
    node.kubernetes.io/instance-type: sim-gpu-x$NODE_GPUS
    nvidia.com/gpu.product: SIMULATED-GPU
    nvidia.com/gpu.count: "$NODE_GPUS"
status:
  allocatable: &resources
    cpu: "$NODE_CPU"
    memory: ${NODE_MEMORY_GI}Gi
    pods: "$NODE_PODS"
    nvidia.com/gpu: "$NODE_GPUS"
  capacity: *resources
EOF
    done
  } | kc apply -f - >/dev/null
  for name in $(kc get nodes -l "$SIM_LABEL=true" -o name); do
    i="${name##*-}"
    if [[ "$i" =~ ^[0-9]+$ ]] && ((i >= n)); then
      kc delete "$name" --wait=false >/dev/null && log "deleted $name"
    fi
  done
  wait_for "$n nodes Ready" "$TIMEOUT" kwok _nodes_ready "$n"
  log "$n fake nodes Ready, $NODE_GPUS nvidia.com/gpu each"
}

_nodes_ready() {
  local ready
  ready="$(kc get nodes -l "$SIM_LABEL=true" -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c '^True$')"
  ((ready >= $1))
}

# --- the operator and the fake trainer, as host processes ----------------------------------------

# A copy of the operator build (quarkus-app), made when missing or older than the work tree's.
operator_snapshot() {
  [[ -f "$OPERATOR_APP_SRC/quarkus-run.jar" ]] || return 1
  if [[ -f "$OPERATOR_APP/quarkus-run.jar" && ! "$OPERATOR_APP_SRC/quarkus-run.jar" -nt "$OPERATOR_APP/quarkus-run.jar" ]]; then
    return 0
  fi
  running_pid operator >/dev/null && { log "operator runs: keeping its build ($OPERATOR_APP)"; return 0; }
  rm -rf "$OPERATOR_APP.new"
  mkdir -p "$STATE/operator"
  cp -a "$OPERATOR_APP_SRC" "$OPERATOR_APP.new"
  rm -rf "$OPERATOR_APP"
  mv "$OPERATOR_APP.new" "$OPERATOR_APP"
  log "operator build copied from $OPERATOR_APP_SRC"
}

_java() { _jdk_tool java; }
_javac() { _jdk_tool javac; }
_jdk_tool() {
  local tool
  tool="$(command -v "${JAVA_HOME:+$JAVA_HOME/bin/}$1")" || die "no $1 (install openjdk-17-jdk-headless or set JAVA_HOME)"
  echo "$tool"
}

# The fake trainer, compiled against the operator build's libraries (the api module gives it the
# project's own params and FLOPs calculators; fabric8 its watch).
fake_trainer_up() {
  local d="$STATE/fake-trainer" cp pid
  if pid="$(running_pid fake-trainer)"; then
    log "fake-trainer runs (pid $pid)"
    return 0
  fi
  mkdir -p "$d/classes"
  cp="$OPERATOR_APP/lib/main/*:$OPERATOR_APP/lib/boot/*"
  if [[ ! -f "$d/classes/FakeTrainer.class" || "$SIM_DIR/FakeTrainer.java" -nt "$d/classes/FakeTrainer.class" ||
    "$OPERATOR_APP/quarkus-run.jar" -nt "$d/classes/FakeTrainer.class" ]]; then
    log "compiling the fake trainer"
    rm -rf "$d/classes" && mkdir -p "$d/classes"
    "$(_javac)" -nowarn -cp "$cp" -d "$d/classes" "$SIM_DIR/FakeTrainer.java" >>"$LOG_DIR/fake-trainer.log" 2>&1 ||
      die "the fake trainer does not compile against $OPERATOR_APP (log: $LOG_DIR/fake-trainer.log)"
  fi
  log "starting the fake trainer: $FLOPS_PER_GPU_SECOND FLOP/s per GPU, time scale $TIME_SCALE"
  start_daemon fake-trainer env KUBECONFIG="$KUBECONFIG_PATH" SIM_FLOPS_PER_GPU_SECOND="$FLOPS_PER_GPU_SECOND" \
    SIM_TIME_SCALE="$TIME_SCALE" SIM_MIN_SECONDS="$MIN_SECONDS" \
    "$(_java)" -Xmx256m -XX:+UseSerialGC -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$d/classes:$cp" FakeTrainer watch
}

_operator_ready() { curl -fsS "http://127.0.0.1:$OPERATOR_PORT/q/health/ready" >/dev/null; }

operator_up() {
  local pid
  if pid="$(running_pid operator)"; then
    log "operator runs (pid $pid)"
    return 0
  fi
  _port_free_or_ours operator "$OPERATOR_PORT"
  log "starting the operator on the host (http://127.0.0.1:$OPERATOR_PORT, log: $LOG_DIR/operator.log)"
  # What the chart sets in the Deployment, less what a pod has and a host process has not.
  start_daemon operator env KUBECONFIG="$KUBECONFIG_PATH" \
    QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$OPERATOR_PORT" \
    QUARKUS_OPERATOR_SDK_CRD_APPLY=false \
    SCALESWEEP_TRAINER_IMAGE=localhost/scalesweep-sim/fake-trainer:1 \
    SCALESWEEP_TRAINER_IMAGE_PULL_POLICY=Never \
    SCALESWEEP_POLICY_ALLOWED_ENDPOINTS="$S3_ENDPOINT" \
    DJL_OFFLINE=true OPT_OUT_TRACKING=true \
    "$(_java)" "-Xmx${SIM_OPERATOR_HEAP:-768m}" -XX:+ExitOnOutOfMemoryError \
    -jar "$OPERATOR_APP/quarkus-run.jar"
  wait_for "the operator's /q/health/ready" "${SIM_OPERATOR_TIMEOUT:-180}" operator _operator_ready
  log "operator ready"
}

# --- down ------------------------------------------------------------------------------------

sim_down() {
  local purge="$1" pids
  stop_daemon operator 30
  stop_daemon fake-trainer 10
  stop_daemon kwok 20
  stop_daemon kueue 20
  stop_daemon kube-scheduler 20
  stop_daemon kube-controller-manager 20
  stop_daemon kube-apiserver 60
  stop_daemon etcd 30
  stop_daemon s3proxy 20
  pids="$(_leftover_pids)"
  if [[ -n "$pids" ]]; then
    warn "killing leftover processes: ${pids//$'\n'/ }"
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.5
  fi
  pids="$(_leftover_pids)"
  if [[ -n "$pids" ]]; then
    ps -o pid,args -p "${pids//$'\n'/,}" >&2 || true
    die "processes of the simulated cluster are still running"
  fi
  # Kueue's /etc overlay lived in its own mount namespace: nothing is mounted on the host.
  if grep -qF -- "$STATE/" <<<"$(findmnt -rn -o TARGET)"; then
    warn "mounts remain under $STATE: $(findmnt -rn -o TARGET | grep -F -- "$STATE/" | tr '\n' ' ')"
  fi
  log "no process of the simulated cluster left"
  if [[ "$purge" == 1 ]]; then
    [[ -f "$STATE/.scalesweep-sim" ]] || die "$STATE has no .scalesweep-sim marker: not deleting it"
    rm -rf --one-file-system "$STATE"
    log "deleted $STATE"
  fi
}
