#!/usr/bin/env bash
# Installs the Debian packages Causeway's lab data plane and tests use, when running as root and
# something is missing. strongSwan comes from Debian (charon 5.9.8 + kernel-libipsec in
# libcharon-extra-plugins; the openssl and gcm plugins in libstrongswan-standard-plugins, a mere
# Recommends of charon, give ECP/Curve25519 DH groups 19-21/31 and AES-GCM). Never libreswan: it
# conflicts with strongswan-charon.
set -euo pipefail
PACKAGES=(strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins iproute2 iputils-ping iputils-arping curl procps util-linux)
# --test: also what the tests drive Causeway with (the real OpenStack client: `openstack vpn …`; jq for
# the README's Huawei block; the libraries and NSS tools of libreswan's pluto, which test/lab/libreswan-peer.ts
# unpacks from Debian's package into .tmp/ without installing it; Debian's chromium and a font for the
# console's browser test).
if [ "${1:-}" = "--test" ]; then
  PACKAGES+=(python3-openstackclient python3-neutronclient jq libnss3-tools libnss3 libnspr4 libunbound8 libldns3 libevent-core-2.1-7 libevent-pthreads-2.1-7 libcap-ng0 libcurl3-nss libldap-2.5-0 chromium fonts-dejavu-core)
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "causeway: not root, so not installing Debian packages: ${missing[*]} (the lab data plane needs them)" >&2
  exit 0
fi
echo "causeway: installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
