#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks run for real: Chromium (dashboard tests),
# mosquitto-clients (the shell agent),
# InfluxDB (store contract suite), PostgreSQL (registry store contract suites), Mosquitto (benchmark baseline), docker-compose (compose file check),
# LibreOffice without a GUI and poppler's pdftotext (the criteria annex exports rendered to PDF).
# Their system services are not used: tests start their own instances on loopback.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v openssl >/dev/null || need+=(openssl)
command -v influxd >/dev/null || need+=(influxdb)
# HUB_DB=postgres: the registry's PostgreSQL store; tests run their own server (test/setup/postgres.ts).
dpkg -s postgresql >/dev/null 2>&1 || need+=(postgresql)
# Cluster mode (HUB_CLUSTER_REDIS_URL): the nodes' shared Redis, started by test/support/redis.ts.
command -v redis-server >/dev/null || need+=(redis-server)
command -v mosquitto >/dev/null || need+=(mosquitto)
command -v mosquitto_pub >/dev/null || need+=(mosquitto-clients)
command -v docker-compose >/dev/null || need+=(docker-compose)
# haproxy.cfg of docker-compose.cluster.yml is checked with `haproxy -c` (no service is started).
command -v haproxy >/dev/null || need+=(haproxy)
# Gateway probes (agents/src/gateway): fping for ICMP, snmpd + snmp tools, kamailio (SIP OPTIONS),
# GStreamer's RTSP server driven by /usr/bin/python3, ip (network namespaces) and ping.
command -v fping >/dev/null || need+=(fping)
command -v snmpd >/dev/null || need+=(snmpd)
command -v snmpget >/dev/null || need+=(snmp)
command -v kamailio >/dev/null || need+=(kamailio)
command -v ip >/dev/null || need+=(iproute2)
command -v ping >/dev/null || need+=(iputils-ping)
command -v openssl >/dev/null || need+=(openssl)
dpkg -s python3-gi >/dev/null 2>&1 || need+=(python3-gi)
dpkg -s gir1.2-gst-rtsp-server-1.0 >/dev/null 2>&1 || need+=(gir1.2-gst-rtsp-server-1.0)
for p in gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then echo "all present"; exit 0; fi
echo "installing: ${need[*]}"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Keep package scripts from starting system services we do not use.
printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
$SUDO rm -f /usr/sbin/policy-rc.d
