# shellcheck shell=bash
# What runs on the cluster: the demo namespace, the Helm chart, the smoke test. Sourced by
# e2e/cluster.

helm_() {
  # Helm's caches and settings under the state folder, not in root's home.
  HELM_CACHE_HOME="$STATE/helm/cache" HELM_CONFIG_HOME="$STATE/helm/config" \
    HELM_DATA_HOME="$STATE/helm/data" KUBECONFIG="$KUBECONFIG_PATH" "$BIN/helm" "$@"
}

# Namespace scalesweep-demo (Pod Security "restricted" enforced, as a real tenant namespace would
# be) with the Secret sweeps name in storage.secretRef.
demo_namespace() {
  kc apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Namespace
metadata:
  name: $DEMO_NAMESPACE
  labels:
    pod-security.kubernetes.io/enforce: restricted
EOF
  kc -n "$DEMO_NAMESPACE" create secret generic s3-credentials \
    --from-literal=AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" \
    --from-literal=AWS_SECRET_ACCESS_KEY="$S3_SECRET_KEY" \
    --dry-run=client -o yaml | kc apply -f - >/dev/null
  log "namespace $DEMO_NAMESPACE (restricted) with Secret s3-credentials"
}

# The tag both images carry: E2E_IMAGE_TAG, else the project version (Jib tags with it).
image_tag() { echo "${E2E_IMAGE_TAG:-$(project_version)}"; }

# helm upgrade --install, then wait for the operator only when its image is on the node:
# otherwise the pod can only sit in ErrImageNeverPull/ImagePullBackOff, and saying so beats a
# timeout.
chart_install() {
  local chart="$REPO_ROOT/charts/scalesweep" tag args images trainer img missing=0 deploy
  tag="$(image_tag)"
  [[ -n "$tag" ]] || die "cannot tell the images' tag: set E2E_IMAGE_TAG"
  args=(--set-string "image.tag=$tag" --set image.pullPolicy=IfNotPresent
    --set-json "policy.allowedEndpoints=[\"$S3_ENDPOINT\"]")
  # Only the values the chart has (it is being reworked): helm would accept unknown ones silently.
  if grep -q '^trainerImage:' "$chart/values.yaml"; then
    args+=(--set-string "trainerImage.tag=$tag")
    if awk '/^trainerImage:/{t=1; next} /^[^ #]/{t=0} t && /^ +pullPolicy:/{f=1} END{exit !f}' "$chart/values.yaml"; then
      args+=(--set trainerImage.pullPolicy=IfNotPresent)
    fi
  fi
  # shellcheck disable=SC2206  # E2E_HELM_ARGS is meant to split into words
  args+=(${E2E_HELM_ARGS:-})
  # Helm installs crds/ only when they are absent and never upgrades them, and this cluster's etcd
  # outlives a run: apply them first, as an upgrade must, or an operator built with a newer
  # schema has every status patch with a new field refused.
  kc apply --server-side --force-conflicts -f "$chart/crds" >/dev/null
  log "helm upgrade --install $RELEASE (namespace $OPERATOR_NAMESPACE, tag $tag)"
  helm_ upgrade --install "$RELEASE" "$chart" --namespace "$OPERATOR_NAMESPACE" --create-namespace \
    "${args[@]}" >>"$LOG_DIR/helm.log" 2>&1 || {
    tail -n 20 "$LOG_DIR/helm.log" >&2
    die "helm upgrade --install failed (log: $LOG_DIR/helm.log)"
  }

  deploy="$(kc -n "$OPERATOR_NAMESPACE" get deploy -l "app.kubernetes.io/instance=$RELEASE" -o name 2>/dev/null | head -n1)" || true
  [[ -n "$deploy" ]] || die "the chart made no Deployment in $OPERATOR_NAMESPACE"
  # Every image the operator runs or starts trial pods with must be on the node: nothing can be
  # pulled. Read from the Deployment, so this holds however the chart spells its values.
  images="$(kc -n "$OPERATOR_NAMESPACE" get "$deploy" -o jsonpath='{.spec.template.spec.containers[*].image}')"
  trainer="$(kc -n "$OPERATOR_NAMESPACE" get "$deploy" -o jsonpath='{.spec.template.spec.containers[*].env[?(@.name=="SCALESWEEP_TRAINER_IMAGE")].value}')"
  for img in $images $trainer; do
    if image_present "$img"; then
      log "  image $img is on the node"
    else
      warn "image $img is NOT on the node: build its tar (Jib buildTar), then run: e2e/cluster images && e2e/cluster chart"
      if [[ " $images " == *" $img "* ]]; then missing=1; fi
    fi
  done
  if ((missing)); then
    warn "not waiting for $deploy: without its image the operator cannot start"
    return 0
  fi
  log "waiting for $deploy to be available"
  if ! kc -n "$OPERATOR_NAMESPACE" rollout status "$deploy" --timeout="${E2E_OPERATOR_TIMEOUT:-300}s" >&2; then
    kc -n "$OPERATOR_NAMESPACE" get pods -o wide >&2 || true
    kc -n "$OPERATOR_NAMESPACE" logs "$deploy" --tail=30 >&2 || true
    die "the operator did not become available"
  fi
  log "operator available"
}

# `e2e/cluster smoke`: a restricted pod that completes (pause -v), and one that reaches S3Proxy
# on the gateway and the API server through the kubernetes Service.
smoke() {
  local probe_bin="$STATE/images/probe" probe_tar="$STATE/images/probe.tar" job rc=0
  if [[ ! -x "$probe_bin" || "$E2E_LIB/probe.c" -nt "$probe_bin" ]]; then
    command -v gcc >/dev/null || die "the smoke test builds a static probe with gcc: apt-get install -y --no-install-recommends gcc libc6-dev"
    gcc -Os -static -o "$probe_bin" "$E2E_LIB/probe.c"
    rm -f "$probe_tar"
  fi
  if [[ ! -f "$probe_tar" ]]; then
    log "packing $PROBE_IMAGE"
    pack_image "$PROBE_IMAGE" "$probe_tar" /probe "$probe_bin"
  fi
  image_present "$PROBE_IMAGE" || import_tar "$probe_tar"

  kc -n "$DEMO_NAMESPACE" delete job smoke-pause smoke-net --ignore-not-found --wait=true >/dev/null
  _smoke_job smoke-pause "$PAUSE_IMAGE" '["/pause", "-v"]' | kc apply -f - >/dev/null
  _smoke_job smoke-net "$PROBE_IMAGE" \
    "[\"/probe\", \"http:$POD_GATEWAY:$S3_PORT\", \"tcp:$KUBERNETES_SVC_IP:443\"]" | kc apply -f - >/dev/null
  for job in smoke-pause smoke-net; do
    if kc -n "$DEMO_NAMESPACE" wait --for=condition=complete "job/$job" --timeout=120s >/dev/null; then
      log "job $job completed: $(kc -n "$DEMO_NAMESPACE" logs "job/$job" | tr '\n' ' ')"
    else
      rc=1
      warn "job $job did not complete"
      kc -n "$DEMO_NAMESPACE" describe "job/$job" >&2 || true
      kc -n "$DEMO_NAMESPACE" logs "job/$job" >&2 || true
    fi
  done
  kc -n "$DEMO_NAMESPACE" delete job smoke-pause smoke-net --ignore-not-found --wait=false >/dev/null
  return "$rc"
}

# A Job that passes Pod Security "restricted": non-root numeric user, no privilege escalation,
# every capability dropped, the runtime's default seccomp profile.
_smoke_job() {
  cat <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: $1
  namespace: $DEMO_NAMESPACE
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 65535
        runAsGroup: 65535
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: main
        image: $2
        imagePullPolicy: Never
        command: $3
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
EOF
}
