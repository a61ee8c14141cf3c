"""gunicorn settings for the learning platform behind nginx (deploy/nginx-site.conf).

Every value can be overridden on the command line; the environment names the few a deployer
changes: GUNICORN_BIND and WEB_CONCURRENCY.
"""

import multiprocessing
import os

# A unix socket that only nginx talks to; nginx buffers every request and answer (sync workers
# are safe only behind such a proxy: alone, four slow clients would hold all four workers).
bind = os.environ.get("GUNICORN_BIND", "unix:/run/learning_platform/gunicorn.sock")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request still running after 30 s is stuck: the worker is killed and replaced (nginx waits
# as long, proxy_read_timeout).
timeout = 30
graceful_timeout = 20
keepalive = 5
# Replace workers now and then, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The socket is for nginx's workers only (the same user, or its group: see serve.py and the
# systemd unit).
umask = 0o007
# No control socket: it would sit at one path for every gunicorn of this user.
control_socket_disable = True
# Logs go to stderr: systemd's journal, or serve.py's terminal.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = "info"
# Each worker loads the application itself, so a reload (SIGHUP, systemctl reload) brings new code
# in without dropping a request; a preloaded application would keep the old code.
preload_app = False
