#!/bin/sh
# commune-agent.sh — Commune Hub heartbeat agent for routers and boxes that cannot run Node.
# Needs only a POSIX shell (busybox ash is fine), /proc and mosquitto_pub (Debian/OpenWrt package
# mosquitto-clients). One long-lived MQTT connection (mosquitto_pub -l) carries the heartbeats and holds
# the last will, so the hub sees `offline` as soon as the router dies. No store-and-forward: heartbeats
# written while the hub is unreachable are lost (the Node agent spools them); the hub then shows the gap.
# See agents/README.md.
set -u

usage() {
  cat <<'EOF'
Usage: commune-agent.sh --host HOST --id ID [options]   (secret from HUB_AGENT_SECRET)

  --host HOST         hub broker host                              HUB_AGENT_HOST
  --port PORT         broker port (default 1883; 8883 with --cafile) HUB_AGENT_PORT
  --cafile FILE       CA (PEM) of the hub's certificate: MQTT over   HUB_AGENT_CAFILE
                      TLS (mqtts), the certificate is verified
  --certfile FILE     this device's client certificate (PEM) and     HUB_AGENT_CERTFILE
  --keyfile FILE      its key, for a hub with HUB_TLS_CA (mutual     HUB_AGENT_KEYFILE
                      TLS); both need --cafile
  --id ID             device id, ^[a-z0-9][a-z0-9._-]{0,63}$       HUB_AGENT_ID
  --secret S          device secret (prefer the variable)          HUB_AGENT_SECRET
  --interval S        seconds between heartbeats (default 30)      HUB_AGENT_INTERVAL
  --clients-cmd CMD   shell command printing the number of         HUB_AGENT_CLIENTS_CMD
                      connected wifi clients, e.g.
                      "iw dev wlan0 station dump | grep -c Station"
  --state-dir DIR     seq file and private broker config           HUB_AGENT_STATE_DIR
                      (default /tmp/commune-agent: RAM on OpenWrt, spares the flash)
  --retry S           wait before reconnecting (default 10)        HUB_AGENT_RETRY
  -h, --help          this help
EOF
}

die() {
  echo "commune-agent: $* (see --help) [HUB_ERR_AGENT_CONFIG]" >&2
  exit 2
}

HOST=${HUB_AGENT_HOST:-}
CAFILE=${HUB_AGENT_CAFILE:-}
CERTFILE=${HUB_AGENT_CERTFILE:-}
KEYFILE=${HUB_AGENT_KEYFILE:-}
PORT=${HUB_AGENT_PORT:-}
ID=${HUB_AGENT_ID:-}
SECRET=${HUB_AGENT_SECRET:-}
INTERVAL=${HUB_AGENT_INTERVAL:-30}
CLIENTS_CMD=${HUB_AGENT_CLIENTS_CMD:-}
STATE_DIR=${HUB_AGENT_STATE_DIR:-/tmp/commune-agent}
RETRY=${HUB_AGENT_RETRY:-10}

while [ $# -gt 0 ]; do
  case "$1" in
    --host) HOST=${2:-}; shift 2 ;;
    --port) PORT=${2:-}; shift 2 ;;
    --cafile) CAFILE=${2:-}; shift 2 ;;
    --certfile) CERTFILE=${2:-}; shift 2 ;;
    --keyfile) KEYFILE=${2:-}; shift 2 ;;
    --id) ID=${2:-}; shift 2 ;;
    --secret) SECRET=${2:-}; shift 2 ;;
    --interval) INTERVAL=${2:-}; shift 2 ;;
    --clients-cmd) CLIENTS_CMD=${2:-}; shift 2 ;;
    --state-dir) STATE_DIR=${2:-}; shift 2 ;;
    --retry) RETRY=${2:-}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done

[ -n "$HOST" ] || die "missing --host (or HUB_AGENT_HOST)"
if [ -n "$CAFILE" ]; then
  [ -r "$CAFILE" ] || die "--cafile: cannot read $CAFILE"
  PORT=${PORT:-8883}
else
  PORT=${PORT:-1883}
fi
if [ -n "$CERTFILE$KEYFILE" ]; then
  [ -n "$CAFILE" ] || die "--certfile/--keyfile need --cafile (mutual TLS is MQTT over TLS)"
  [ -n "$CERTFILE" ] && [ -n "$KEYFILE" ] || die "--certfile and --keyfile go together"
  [ -r "$CERTFILE" ] || die "--certfile: cannot read $CERTFILE"
  [ -r "$KEYFILE" ] || die "--keyfile: cannot read $KEYFILE"
fi
[ -n "$SECRET" ] || die "missing --secret (or HUB_AGENT_SECRET)"
printf '%s' "$ID" | grep -Eq '^[a-z0-9][a-z0-9._-]{0,63}$' || die "--id \"$ID\" must match ^[a-z0-9][a-z0-9._-]{0,63}\$"
printf '%s' "$PORT" | grep -Eq '^[0-9]{1,5}$' || die "--port must be a number, got \"$PORT\""
# Fractions are allowed (sleep 0.5 works on GNU and busybox); zero is not.
printf '%s' "$INTERVAL" | grep -Eq '^[0-9]*\.?[0-9]+$' && [ "$(printf '%s' "$INTERVAL" | tr -d '0.')" != "" ] ||
  die "--interval must be a positive number of seconds, got \"$INTERVAL\""
command -v mosquitto_pub >/dev/null 2>&1 || die "mosquitto_pub not found: install mosquitto-clients"

TOPIC="commune/v1/$ID"
CONF_DIR="$STATE_DIR/conf"
mkdir -p "$CONF_DIR" || die "cannot create state dir $STATE_DIR"
chmod 700 "$CONF_DIR"
# The secret goes into mosquitto_pub's own config file ($XDG_CONFIG_HOME/mosquitto_pub, one option per
# line) rather than onto its command line, where `ps` would show it to every user of the box.
(umask 077 && printf -- '-h %s\n-p %s\n-i %s\n-u %s\n-P %s\n' "$HOST" "$PORT" "$ID" "$ID" "$SECRET" >"$CONF_DIR/mosquitto_pub" &&
  { [ -z "$CAFILE" ] || printf -- '--cafile %s\n' "$CAFILE" >>"$CONF_DIR/mosquitto_pub"; } &&
  { [ -z "$CERTFILE" ] || printf -- '--cert %s\n--key %s\n' "$CERTFILE" "$KEYFILE" >>"$CONF_DIR/mosquitto_pub"; }) ||
  die "cannot write $CONF_DIR/mosquitto_pub"
export XDG_CONFIG_HOME="$CONF_DIR"

log() { echo "commune-agent: $*" >&2; }

now_ms() {
  ms=$(date +%s%3N 2>/dev/null)
  case "$ms" in
    *[!0-9]* | "") echo "$(date +%s)000" ;; # busybox date has no %N
    *) echo "$ms" ;;
  esac
}

# seq must keep increasing across restarts (the hub drops a repeated (device, seq)). The state file may
# be in RAM and lost on reboot, so a run never starts below the clock in seconds: with at most one
# heartbeat per second, a later run then starts above every seq an earlier run used. (A box that boots
# with a wrong clock should keep --state-dir on persistent storage instead.)
SEQ_FLOOR=$(date +%s)
next_seq() {
  last=$(cat "$STATE_DIR/seq" 2>/dev/null)
  case "$last" in "" | *[!0-9]*) last=-1 ;; esac
  seq=$((last + 1))
  [ "$seq" -lt "$SEQ_FLOOR" ] && seq=$SEQ_FLOOR
  echo "$seq" >"$STATE_DIR/seq.tmp" && mv "$STATE_DIR/seq.tmp" "$STATE_DIR/seq"
  echo "$seq"
}

heartbeat() {
  up=$(cut -d' ' -f1 /proc/uptime)
  load1=$(cut -d' ' -f1 /proc/loadavg)
  mem_pct=$(awk '/^MemTotal:/{t=$2} /^MemAvailable:/{a=$2} END{if(t>0) printf "%.1f", (t-a)*100/t; else print ""}' /proc/meminfo)
  m="\"load1\":$load1"
  [ -n "$mem_pct" ] && m="$m,\"memPct\":$mem_pct"
  st=ok
  faults=""
  if [ -n "$CLIENTS_CMD" ]; then
    clients=$(sh -c "$CLIENTS_CMD" 2>/dev/null | tr -d ' \t\r\n')
    case "$clients" in
      "" | *[!0-9]*) st=degraded; faults=',"faults":["clients_probe_failed"]' ;;
      *) m="$m,\"clients\":$clients" ;;
    esac
  fi
  printf '{"v":1,"ts":%s,"seq":%s,"up":%s,"st":"%s","m":{%s}%s}\n' "$(now_ms)" "$(next_seq)" "$up" "$st" "$m" "$faults"
}

heartbeats() {
  while :; do
    heartbeat || exit 1
    sleep "$INTERVAL"
  done
}

publish_status() {
  mosquitto_pub -q 1 -r -t "$TOPIC/status" -m "$1"
}

PUB_PID=""
GEN_PID=""
SLEEP_PID=""
FIFO="$STATE_DIR/hb.fifo"

stop_pipeline() {
  [ -n "$GEN_PID" ] && kill "$GEN_PID" 2>/dev/null
  [ -n "$PUB_PID" ] && kill "$PUB_PID" 2>/dev/null
  [ -n "$PUB_PID" ] && wait "$PUB_PID" 2>/dev/null
  PUB_PID=""
  GEN_PID=""
}

shutdown() {
  trap - TERM INT
  [ -n "$SLEEP_PID" ] && kill "$SLEEP_PID" 2>/dev/null
  stop_pipeline
  # The heartbeat connection is gone, so this one does not take over a live session.
  publish_status offline || log "could not publish offline"
  rm -f "$FIFO"
  exit 0
}
trap shutdown TERM INT

rm -f "$FIFO"
mkfifo "$FIFO" || die "cannot create $FIFO"

while :; do
  if publish_status online; then
    # One persistent connection: each line on the FIFO is one heartbeat; if it drops, the broker
    # publishes the retained `offline` will.
    mosquitto_pub -q 1 -l -t "$TOPIC/hb" \
      --will-topic "$TOPIC/status" --will-payload offline --will-qos 1 --will-retain <"$FIFO" &
    PUB_PID=$!
    heartbeats >"$FIFO" &
    GEN_PID=$!
    wait "$PUB_PID"
    log "heartbeat connection ended (exit $?); reconnecting in ${RETRY}s"
    stop_pipeline
  else
    log "hub $HOST:$PORT unreachable or refused the credentials; retrying in ${RETRY}s"
  fi
  sleep "$RETRY" &
  SLEEP_PID=$!
  wait "$SLEEP_PID"
  SLEEP_PID=""
done
