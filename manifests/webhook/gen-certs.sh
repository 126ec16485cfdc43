#!/usr/bin/env bash
# gen-certs.sh: serving certificate for kargo-token-webhook without cert-manager.
#
# Makes a private CA and a serving certificate for
# kargo-token-webhook.kargo-token-system.svc with the openssl CLI, creates (or
# replaces) the Secret kargo-token-system/kargo-token-webhook-tls, and patches
# the CA into the caBundle of every webhook in the
# ValidatingWebhookConfiguration kargo-token-webhook.
#
# usage: manifests/webhook/gen-certs.sh [--days N] [--context NAME]
#   Run after `kubectl apply -k manifests/webhook`. Re-run to rotate; the
#   webhook reloads the new certificate without a restart.
#   Keys are written only to a private temporary directory that is removed on
#   exit.
set -euo pipefail

NAMESPACE=kargo-token-system
SERVICE=kargo-token-webhook
SECRET=kargo-token-webhook-tls
WEBHOOK_CONFIG=kargo-token-webhook
DAYS=365
KUBECTL=(kubectl)

while [ $# -gt 0 ]; do
  case "$1" in
    --days) DAYS="$2"; shift 2 ;;
    --context) KUBECTL+=(--context "$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

command -v openssl >/dev/null || { echo "error: openssl not found in PATH" >&2; exit 1; }

umask 077
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dns="${SERVICE}.${NAMESPACE}.svc"
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
  -subj "/CN=kargo-token-webhook-ca" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null

openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=${dns}" \
  -keyout "$work/tls.key" -out "$work/tls.csr" 2>/dev/null
cat > "$work/ext.cnf" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:${SERVICE},DNS:${SERVICE}.${NAMESPACE},DNS:${dns},DNS:${dns}.cluster.local
EXT
openssl x509 -req -sha256 -days "$DAYS" -in "$work/tls.csr" \
  -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial \
  -extfile "$work/ext.cnf" -out "$work/tls.crt" 2>/dev/null

"${KUBECTL[@]}" -n "$NAMESPACE" create secret tls "$SECRET" \
  --cert="$work/tls.crt" --key="$work/tls.key" --dry-run=client -o yaml |
  "${KUBECTL[@]}" apply -f - >/dev/null
echo "secret/${SECRET} updated in namespace ${NAMESPACE}"

ca_bundle="$(base64 < "$work/ca.crt" | tr -d '\n')"
count="$("${KUBECTL[@]}" get validatingwebhookconfiguration "$WEBHOOK_CONFIG" \
  -o jsonpath='{range .webhooks[*]}x{end}')"
patch="["
for ((i = 0; i < ${#count}; i++)); do
  [ "$i" -gt 0 ] && patch+=","
  patch+="{\"op\":\"add\",\"path\":\"/webhooks/${i}/clientConfig/caBundle\",\"value\":\"${ca_bundle}\"}"
done
patch+="]"
"${KUBECTL[@]}" patch validatingwebhookconfiguration "$WEBHOOK_CONFIG" --type=json -p "$patch" >/dev/null
echo "validatingwebhookconfiguration/${WEBHOOK_CONFIG} caBundle patched (${#count} webhooks)"
