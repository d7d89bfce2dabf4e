/** An MQTT string: two length bytes, then UTF-8. */
function mqttString(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
}

/**
 * An MQTT 3.1.1 CONNECT (clean session, keepalive 60 s) with username and password, by hand: the exact
 * bytes a misbehaving client or a storm sends, without a client library's reconnects and timers.
 * Bodies stay under 128 bytes (one length byte), which every caller's ids and secrets do.
 */
export function connectPacket(clientId: string, username: string, password: string): Buffer {
  const body = Buffer.concat([
    mqttString('MQTT'),
    Buffer.from([4, 0xc2, 0, 60]),
    mqttString(clientId),
    mqttString(username),
    mqttString(password),
  ]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}
