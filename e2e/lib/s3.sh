# shellcheck shell=bash
# S3Proxy on the host, the object store that trial pods and tests use. Sourced by e2e/cluster.
#
# It runs from the storage module's test classpath (org.gaul:s3proxy and its dependencies), so
# no extra download is needed: Maven already resolved it for the storage tests.

EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

# The classpath, resolved once with Maven and cached (again when a pom changes or a jar is gone).
s3_classpath() {
  local cp="$STATE/s3proxy/classpath.txt" blog="$LOG_DIR/s3proxy-classpath.log" ok=1 jar
  mkdir -p "$STATE/s3proxy"
  if [[ -s "$cp" && ! "$REPO_ROOT/pom.xml" -nt "$cp" && ! "$REPO_ROOT/storage/pom.xml" -nt "$cp" ]]; then
    while read -r -d: jar; do [[ -e "$jar" ]] || { ok=0; break; }; done < <(tr -d '\n' <"$cp"; echo :)
    ((ok)) && return 0
  fi
  log "resolving S3Proxy's classpath with Maven (storage module, test scope; log: $blog)"
  local build=(./mvnw -B -q -pl storage dependency:build-classpath -Dmdep.includeScope=test
    "-Dmdep.outputFile=$cp.partial")
  if ! (cd "$REPO_ROOT" && "${build[@]}") >>"$blog" 2>&1; then
    # The storage module depends on the api module: without it in ~/.m2, install both first.
    log "installing the api and storage modules into ~/.m2 first"
    (cd "$REPO_ROOT" && ./mvnw -B -q -pl api,storage install -DskipTests) >>"$blog" 2>&1 ||
      die "Maven could not install api and storage (log: $blog)"
    (cd "$REPO_ROOT" && "${build[@]}") >>"$blog" 2>&1 || die "Maven could not resolve S3Proxy's classpath (log: $blog)"
  fi
  grep -q 's3proxy' "$cp.partial" || die "no org.gaul:s3proxy on the storage module's test classpath"
  mv "$cp.partial" "$cp"
}

# Starts S3Proxy without waiting for it (the JVM starts while the control plane does).
s3proxy_start() {
  local d="$STATE/s3proxy" pid java
  mkdir -p "$d" "$STATE/s3/data"
  (umask 077 && cat >"$d/s3proxy.properties") <<EOF
s3proxy.endpoint=$S3_ENDPOINT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$STATE/s3/data
EOF
  if pid="$(running_pid s3proxy)"; then
    log "S3Proxy runs (pid $pid) at $S3_ENDPOINT"
    return
  fi
  # Any listener on the port (a wildcard one included) makes S3Proxy's bind fail.
  if [[ -n "$(ss -Htln "sport = :$S3_PORT" 2>/dev/null)" ]]; then
    die "port $S3_PORT is taken by another process: $(ss -Htlnp "sport = :$S3_PORT" | head -n1)"
  fi
  s3_classpath
  java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  command -v "$java" >/dev/null || die "no java to run S3Proxy (install openjdk-17-jdk-headless or set JAVA_HOME)"
  # An argument file keeps `ps` readable (the classpath is some 17 kB) and still names the state
  # folder, which is how running_pid and `down` recognise the process.
  {
    echo "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
    echo "-Dlogback.configurationFile=$E2E_LIB/s3proxy-logback.xml"
    printf -- '-cp "%s"\n' "$(tr -d '\n' <"$d/classpath.txt")"
  } >"$d/jvm.args"
  log "starting S3Proxy at $S3_ENDPOINT (data: $STATE/s3/data)"
  start_daemon s3proxy "$java" "@$d/jvm.args" org.gaul.s3proxy.Main --properties "$d/s3proxy.properties"
}

# Anonymous requests get 403 from a live S3Proxy.
_s3_answers() { [[ "$(curl -s -o /dev/null -w '%{http_code}' "$S3_ENDPOINT/")" =~ ^(200|403)$ ]]; }

s3proxy_wait() { wait_for "S3Proxy at $S3_ENDPOINT" "$TIMEOUT" s3proxy _s3_answers; }

# _s3 PAYLOAD-SHA256 CURL-ARGS...: a SigV4-signed request. curl (7.88) signs but does not send
# x-amz-content-sha256, which S3Proxy requires: we send it, and curl signs it with the rest.
# The credentials go through a config on a pipe, not the command line (`ps` shows that).
_s3() {
  local sha="$1"
  shift
  curl -sS -K <(printf 'user = "%s:%s"\n' "$S3_ACCESS_KEY" "$S3_SECRET_KEY") \
    --aws-sigv4 "aws:amz:us-east-1:s3" -H "x-amz-content-sha256: $sha" "$@"
}

_s3_bucket() {
  local code
  code="$(_s3 "$EMPTY_SHA256" -o /dev/null -w '%{http_code}' -X PUT "$S3_ENDPOINT/$1")"
  [[ "$code" == 200 || "$code" == 409 ]] || die "S3Proxy refused to create bucket $1 (HTTP $code)"
}

# The object's ETag (S3Proxy's is the MD5 of a single-part object) and length, "ETAG SIZE".
_s3_head() {
  _s3 "$EMPTY_SHA256" -I "$S3_ENDPOINT/$1" 2>/dev/null | tr -d '\r' |
    awk 'tolower($1)=="etag:" {gsub(/"/, "", $2); e=$2} tolower($1)=="content-length:" {l=$2} END {print e, l}'
}

# _s3_put FILE BUCKET/KEY: uploaded through the S3 API (so S3Proxy's own metadata is right),
# skipped when the same bytes are already there, checked afterwards either way.
_s3_put() {
  local file="$1" key="$2" want code
  want="$(md5sum "$file" | cut -d' ' -f1) $(stat -c %s "$file")"
  if [[ "$(_s3_head "$key")" != "$want" ]]; then
    code="$(_s3 "$(sha256sum "$file" | cut -d' ' -f1)" -o /dev/null -w '%{http_code}' -T "$file" "$S3_ENDPOINT/$key")"
    [[ "$code" == 200 ]] || die "upload of $file to s3://$key failed (HTTP $code)"
    [[ "$(_s3_head "$key")" == "$want" ]] || die "s3://$key does not match $file after upload"
    log "  s3://$key ($(stat -c %s "$file") bytes)"
  fi
}

# Buckets sweeps and corpora; the shipped jargon corpus and tasks under corpora.
s3_seed() {
  local b f task n=0 listed
  for b in sweeps corpora; do _s3_bucket "$b"; done
  _s3_put "$REPO_ROOT/examples/data/jargon/jargon.jsonl.gz" corpora/jargon/jargon.jsonl.gz
  n=1
  for task in "$REPO_ROOT"/examples/data/tasks/*/; do
    task="$(basename "$task")"
    for f in train validation; do
      [[ -f "$REPO_ROOT/examples/data/tasks/$task/$f.jsonl" ]] || continue
      _s3_put "$REPO_ROOT/examples/data/tasks/$task/$f.jsonl" "corpora/tasks/$task/$f.jsonl"
      n=$((n + 1))
    done
  done
  listed="$(_s3 "$EMPTY_SHA256" "$S3_ENDPOINT/corpora?list-type=2" | grep -o '<Key>[^<]*</Key>' | wc -l)"
  ((listed >= n)) || die "listing s3://corpora shows $listed objects, expected $n"
  log "S3 seeded: buckets sweeps, corpora; $listed objects in s3://corpora"
}
