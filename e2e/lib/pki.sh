# shellcheck shell=bash
# Certificates and kubeconfigs, with openssl only. Sourced by e2e/cluster.
#
# Made once and kept across `down` (only `down --purge` deletes them); a certificate is made again
# when what it should say changes (for example the host's address, which the API server's
# serving certificate names).

# _pki_conf FILE CN O EXTENSIONS...: an openssl config with a subject and an [ext] section.
_pki_conf() {
  local file="$1" cn="$2" org="$3"
  shift 3
  {
    printf '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n'
    [[ -n "$org" ]] && printf 'O = %s\n' "$org"
    printf 'CN = %s\n[ext]\n' "$cn"
    printf '%s\n' "$@"
  } >"$file"
}

# _pki_ca NAME CN: a self-signed CA, ten years.
_pki_ca() {
  local name="$1" cn="$2" spec
  spec="ca|$cn"
  [[ -f "$PKI/$name.crt" && -f "$PKI/$name.key" && "$(cat "$PKI/$name.spec" 2>/dev/null)" == "$spec" ]] && return
  _pki_conf "$PKI/$name.cnf" "$cn" "" \
    'basicConstraints = critical, CA:TRUE' \
    'keyUsage = critical, keyCertSign, cRLSign, digitalSignature' \
    'subjectKeyIdentifier = hash'
  openssl genrsa -out "$PKI/$name.key" 2048 2>/dev/null
  openssl req -x509 -new -key "$PKI/$name.key" -config "$PKI/$name.cnf" -extensions ext \
    -days 3650 -out "$PKI/$name.crt"
  echo "$spec" >"$PKI/$name.spec"
  # Everything its old self signed is void now.
  rm -f "$PKI"/*.issuer-"$name"
}

# _pki_cert NAME CA CN O USAGE [SANS]: a key and a certificate signed by CA, one year.
# USAGE is serverAuth or clientAuth; SANS is an openssl subjectAltName value.
_pki_cert() {
  local name="$1" ca="$2" cn="$3" org="$4" usage="$5" sans="${6:-}" spec
  spec="$ca|$cn|$org|$usage|$sans"
  if [[ -f "$PKI/$name.crt" && -f "$PKI/$name.key" && -f "$PKI/$name.issuer-$ca" &&
    "$(cat "$PKI/$name.spec" 2>/dev/null)" == "$spec" ]]; then
    return
  fi
  local ext=('basicConstraints = critical, CA:FALSE'
    'keyUsage = critical, digitalSignature, keyEncipherment'
    "extendedKeyUsage = $usage"
    'authorityKeyIdentifier = keyid'
    'subjectKeyIdentifier = hash')
  [[ -n "$sans" ]] && ext+=("subjectAltName = $sans")
  _pki_conf "$PKI/$name.cnf" "$cn" "$org" "${ext[@]}"
  openssl genrsa -out "$PKI/$name.key" 2048 2>/dev/null
  openssl req -new -key "$PKI/$name.key" -config "$PKI/$name.cnf" -out "$PKI/$name.csr"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 365 -extfile "$PKI/$name.cnf" -extensions ext \
    -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name".issuer-*
  touch "$PKI/$name.issuer-$ca"
  echo "$spec" >"$PKI/$name.spec"
}

# _kubeconfig FILE USER: a kubeconfig for USER's certificate, everything embedded so the file can
# be copied elsewhere (and read by clients that do not resolve relative paths).
_kubeconfig() {
  local file="$1" user="$2"
  # Keys inside: readable by root only (a subshell, so the umask does not leak).
  (umask 077 && cat >"$file") <<EOF
apiVersion: v1
kind: Config
clusters:
- name: scalesweep-e2e
  cluster:
    server: https://127.0.0.1:${APISERVER_PORT}
    certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 <"$PKI/$user.crt")
    client-key-data: $(base64 -w0 <"$PKI/$user.key")
contexts:
- name: scalesweep-e2e
  context:
    cluster: scalesweep-e2e
    user: $user
current-context: scalesweep-e2e
EOF
}

pki_ensure() {
  local ip
  ip="$(node_ip)"
  mkdir -p "$PKI"
  chmod 700 "$PKI"
  _pki_ca ca scalesweep-e2e-ca
  # A CA of its own for the aggregation layer's front proxy, as kubeadm does: a client certificate
  # from the main CA must not be able to pose as the front proxy and assert any user.
  _pki_ca front-proxy-ca scalesweep-e2e-front-proxy-ca
  if [[ ! -f "$PKI/sa.key" ]]; then
    openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
    openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi

  local sans="DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc"
  sans+=", DNS:kubernetes.default.svc.cluster.local, DNS:localhost, DNS:$NODE_NAME"
  sans+=", IP:127.0.0.1, IP:$ip, IP:$KUBERNETES_SVC_IP"
  _pki_cert apiserver ca kube-apiserver "" serverAuth "$sans"
  _pki_cert apiserver-kubelet-client ca kube-apiserver-kubelet-client system:masters clientAuth
  _pki_cert admin ca kubernetes-admin system:masters clientAuth
  _pki_cert kubelet ca "system:node:$NODE_NAME" system:nodes clientAuth
  _pki_cert controller-manager ca system:kube-controller-manager "" clientAuth
  _pki_cert scheduler ca system:kube-scheduler "" clientAuth
  _pki_cert kube-proxy ca system:kube-proxy "" clientAuth
  _pki_cert front-proxy-client front-proxy-ca front-proxy-client "" clientAuth

  # Kubeconfigs are cheap: write them every time, so they always match the certificates.
  _kubeconfig "$KUBECONFIG_PATH" admin
  local c
  for c in kubelet controller-manager scheduler kube-proxy; do
    _kubeconfig "$PKI/$c.kubeconfig" "$c"
  done
}
