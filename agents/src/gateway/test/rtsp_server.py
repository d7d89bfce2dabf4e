"""A real RTSP server for the gateway tests: GStreamer's gst-rtsp-server (gir1.2-gst-rtsp-server-1.0),
run with /usr/bin/python3. Usage: rtsp_server.py PORT PATH USER PASSWORD. Serves a test pattern as
Motion-JPEG over RTP behind Basic auth (or Digest with a 5th argument `digest`) on 127.0.0.1 and prints
READY once listening."""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstRtsp", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

port, path, user, password = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
digest = len(sys.argv) > 5 and sys.argv[5] == "digest"
Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)

factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch("( videotestsrc is-live=true ! video/x-raw,format=I420,width=160,height=120,framerate=5/1 ! jpegenc ! rtpjpegpay name=pay0 pt=26 )")
factory.set_shared(True)

auth = GstRtspServer.RTSPAuth()
token = GstRtspServer.RTSPToken()
token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "viewer")
if digest:
    auth.add_digest(user, password, token)
    auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
else:
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
server.set_auth(auth)
permissions = GstRtspServer.RTSPPermissions()
permissions.add_role("viewer")
permissions.add_permission_for_role("viewer", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
permissions.add_permission_for_role("viewer", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
factory.set_permissions(permissions)

server.get_mount_points().add_factory(path, factory)
if server.attach(None) == 0:
    print("could not listen", flush=True)
    sys.exit(1)
print("READY", flush=True)
GLib.MainLoop().run()
