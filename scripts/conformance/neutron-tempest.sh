#!/usr/bin/env bash
# Conformance: OpenStack tempest + neutron-tempest-plugin's VPNaaS API tests (neutron_tempest_plugin.vpnaas.api)
# against a fresh Causeway on 127.0.0.1:$CW_TEMPEST_PORT (default 18774), Keystone pre-provisioned accounts.
# Usage: scripts/conformance/neutron-tempest.sh [--dataplane none|lab]  (lab: root; `lab down` at the end)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
DATAPLANE=none
while [ $# -gt 0 ]; do
  case "$1" in
    --dataplane) DATAPLANE="${2:-}"; shift 2 ;;
    --dataplane=*) DATAPLANE="${1#*=}"; shift ;;
    *) echo "usage: $0 [--dataplane none|lab]" >&2; exit 2 ;;
  esac
done
case "$DATAPLANE" in none|lab) ;; *) echo "--dataplane must be none or lab" >&2; exit 2 ;; esac
PORT="${CW_TEMPEST_PORT:-18774}" URL="http://127.0.0.1:${CW_TEMPEST_PORT:-18774}" INET=cw-inet-tempest
[ "$DATAPLANE" = lab ] && [ "$(id -u)" -ne 0 ] && { echo "--dataplane lab needs root" >&2; exit 2; }

# Debian's tempest (33) and neutron-tempest-plugin (2.0.0): PyPI is not needed.
if ! dpkg -s tempest neutron-tempest-plugin >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || { echo "install the Debian packages tempest and neutron-tempest-plugin (needs root)" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends tempest neutron-tempest-plugin >/dev/null
fi
[ "$DATAPLANE" = lab ] && scripts/install-debian-deps.sh
make -s build
curl -s -o /dev/null "$URL" && { echo "port $PORT is already in use" >&2; exit 1; }

W=$(mktemp -d /tmp/cw-tempest-XXXX) D=$W/data SERVER= LAB_DONE=
# Stops the server, then (lab) `lab down` and a check that nothing of this run's is left: its lab internet,
# namespaces named after its gateways (= vpnservice ids) and VPCs (= network ids), charons configured under $D.
LEFT=()
stop_all() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=; fi
  [ "$DATAPLANE" = lab ] && [ -z "$LAB_DONE" ] || return 0
  LAB_DONE=1
  "$ROOT/bin/causeway" lab down --data-dir "$D" --lab-internet "$INET" || true
  local ns p
  for p in $(pgrep -x charon || true); do
    if grep -qzF "STRONGSWAN_CONF=$D/" "/proc/$p/environ" 2>/dev/null; then LEFT+=("charon:$p"); kill "$p" || true; fi
  done
  for ns in "$INET" $(grep -ohE '/(vpnservices|networks)/[0-9a-f]{8}-[0-9a-f]{4}' "$W/ws/tempest.log" 2>/dev/null | sort -u |
      sed -E 's#/vpnservices/#cw-gw-#; s#/networks/#cw-vpc-#; s/-([0-9a-f]{4})$/\1/'); do
    if ip netns list | awk '{print $1}' | grep -qxF "$ns"; then LEFT+=("$ns"); ip netns delete "$ns" || true; fi
  done
}
cleanup() {
  stop_all
  [ -n "${CW_TEMPEST_KEEP:-}" ] && echo "kept $W" || rm -rf "$W"
}
trap cleanup EXIT
mkdir -p "$D" "$W/ws"
serve=(bin/causeway serve --data-dir "$D" --port "$PORT" --public-url "$URL" --dataplane "$DATAPLANE")
[ "$DATAPLANE" = lab ] && serve+=(--lab-internet "$INET")
echo "+ ${serve[*]}"
"${serve[@]}" >"$W/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 60); do curl -s -o /dev/null "$URL" && break; kill -0 "$SERVER" 2>/dev/null || break; sleep 0.5; done
curl -s -o /dev/null "$URL" || { echo "causeway did not start:" >&2; tail -20 "$W/serve.log" >&2; exit 1; }

# A member (primary credentials) and a cloud admin (admin credentials).
bin/causeway account create demo --data-dir "$D" >/dev/null
bin/causeway user create --account demo --name demo --password demo-pass-1 --data-dir "$D" >/dev/null
bin/causeway user create --account admin --name cloud-admin --password admin-pass-1 --admin --data-dir "$D" >/dev/null

# The extensions tempest may use are exactly those Causeway lists.
TOKEN=$(curl -s -D - -o /dev/null "$URL/identity/v3/auth/tokens" -H 'Content-Type: application/json' -d '{"auth":{"identity":{"methods":["password"],
  "password":{"user":{"name":"demo","domain":{"name":"Default"},"password":"demo-pass-1"}}},"scope":{"project":{"name":"demo","domain":{"name":"Default"}}}}}' \
  | awk 'tolower($1)=="x-subject-token:"{print $2}' | tr -d '\r')
EXTS=$(curl -sf "$URL/v2.0/extensions" -H "X-Auth-Token: $TOKEN" | /usr/bin/python3 -c 'import json,sys; print(",".join(e["alias"] for e in json.load(sys.stdin)["extensions"]))')
PUBLIC=$(curl -sf "$URL/v2.0/networks?name=public" -H "X-Auth-Token: $TOKEN" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["networks"][0]["id"])')

cd "$W/ws"
cat >accounts.yaml <<EOF
- {username: demo, project_name: demo, password: demo-pass-1}
- {username: cloud-admin, project_name: admin, password: admin-pass-1, roles: [admin]}
EOF
cat >tempest.conf <<EOF
[DEFAULT]
log_file = $W/ws/tempest.log
[oslo_concurrency]
lock_path = $W/ws/locks
[auth]
use_dynamic_credentials = false
test_accounts_file = $W/ws/accounts.yaml
create_isolated_networks = false
default_credentials_domain_name = Default
[identity]
uri_v3 = $URL/identity/v3
auth_version = v3
region = RegionOne
[identity-feature-enabled]
api_v2 = false
[service_available]
neutron = true
nova = false
glance = false
cinder = false
swift = false
[network]
public_network_id = $PUBLIC
project_network_cidr = 10.100.0.0/16
project_network_mask_bits = 24
[network-feature-enabled]
api_extensions = $EXTS
ipv6 = false
EOF
cat >.stestr.conf <<EOF
[DEFAULT]
test_path=/usr/lib/python3/dist-packages/tempest/test_discover
top_dir=/usr/lib/python3/dist-packages
EOF

echo "+ tempest run --regex neutron_tempest_plugin.vpnaas.api --serial (dataplane $DATAPLANE)"
rc=0
/usr/bin/tempest run --config-file "$W/ws/tempest.conf" --regex neutron_tempest_plugin.vpnaas.api --serial >tempest.out 2>&1 || rc=$?
cat tempest.out
count() { sed -n "s/^ - $1: \([0-9]*\)\$/\1/p" tempest.out | tail -1; }
PASSED=$(count Passed) FAILED=$(count Failed) SKIPPED=$(count Skipped)
CLASS_ERRORS=$(grep -oE '(setUpClass|tearDownClass) \([^)]*\)' tempest.out | sort -u | paste -sd, - || true)
cd "$ROOT"
stop_all
echo "=== neutron-tempest (dataplane $DATAPLANE) ==="
echo "Totals: Passed ${PASSED:-?}, Failed ${FAILED:-?}, Skipped ${SKIPPED:-?}"
echo "setUpClass/tearDownClass errors: ${CLASS_ERRORS:-none}"
[ "$DATAPLANE" = none ] || echo "left behind after lab down (now removed): ${LEFT[*]:-none}"
fail=
[ "$rc" -eq 0 ] && [ "${PASSED:-0}" -gt 0 ] && [ "${FAILED:-1}" -eq 0 ] && [ "${SKIPPED:-1}" -eq 0 ] && [ -z "$CLASS_ERRORS" ] || fail="tempest (exit $rc)"
[ ${#LEFT[@]} -eq 0 ] || fail="${fail:+$fail, }lab cleanup"
[ -z "$fail" ] || { echo "FAILED: $fail (CW_TEMPEST_KEEP=1 keeps serve.log and tempest.log)"; exit 1; }
echo "OK"
