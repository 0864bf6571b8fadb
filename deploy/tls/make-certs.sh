#!/usr/bin/env bash
# Throw-away certificates for the cluster's mutual TLS (silo-to-silo and client-to-gateway), made with openssl:
# a CA, a silo leaf and a client leaf it signed (ECDSA P-256, server and client authentication). The CA's
# private key is deleted once both leaves are signed, so nothing else can be issued from it.
#
#   deploy/tls/make-certs.sh FOLDER [--days N]
#
# FOLDER gets ca.crt (what every silo and client trusts: Orleans__Tls__CaPath), tls.crt and tls.key (a silo's
# certificate: Orleans__Tls__CertificatePath and Orleans__Tls__KeyPath; the names cert-manager gives a
# kubernetes.io/tls Secret), client.crt and client.key (for margingrid-client --cert/--key). For development and
# tests; a production cluster gets its CA and leaves from its PKI (docs/operations.md, "Cluster TLS").
set -euo pipefail

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
folder=""; days=30
while [ $# -gt 0 ]; do
  case "$1" in
    --days) days="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    *) [ -z "$folder" ] || { echo "one FOLDER only" >&2; exit 2; }; folder="$1"; shift ;;
  esac
done
[ -n "$folder" ] || { usage >&2; exit 2; }
[[ "$days" =~ ^[1-9][0-9]{0,4}$ ]] || { echo "--days takes a positive number of days" >&2; exit 2; }
command -v openssl >/dev/null || { echo "make-certs: openssl is required (apt-get install openssl)" >&2; exit 1; }

mkdir -p "$folder"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
curve=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)

openssl req -x509 "${curve[@]}" -keyout "$work/ca.key" -out "$folder/ca.crt" -days "$days" -subj "/CN=MarginGrid cluster CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

# One leaf: its own key, a request, and the CA's signature with the extensions the TLS handshake checks.
leaf() {
  local name="$1" subject="$2"
  openssl req "${curve[@]}" -keyout "$folder/$name.key" -out "$work/$name.csr" -subj "/CN=$subject" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" > "$work/$name.ext"
  openssl x509 -req -in "$work/$name.csr" -CA "$folder/ca.crt" -CAkey "$work/ca.key" -CAcreateserial \
    -CAserial "$work/ca.srl" -out "$folder/$name.crt" -days "$days" -extfile "$work/$name.ext" 2>/dev/null
  chmod 600 "$folder/$name.key"
}
leaf tls "MarginGrid silo"
leaf client "MarginGrid client"
chmod 644 "$folder/ca.crt" "$folder/tls.crt" "$folder/client.crt"
echo "certificates in $folder: ca.crt, tls.crt + tls.key (silos), client.crt + client.key (clients); valid $days days"
