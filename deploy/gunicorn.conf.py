"""Gunicorn settings for the portal in production: `gunicorn -c deploy/gunicorn.conf.py portal.wsgi`.

Threaded workers behind nginx (deploy/nginx/): nginx reads each request whole before it passes it on and
takes each response whole, so a slow or idle client holds an nginx connection (cheap) and never a worker.
Threads as well, so that one slow page or a client that reaches gunicorn directly does not stop the rest.
Every value can be changed with the environment variable named beside it (docs/deployment.md).
"""

import multiprocessing
import os

# Only nginx on this machine talks to gunicorn.
bind = os.environ.get("VRU_GUNICORN_BIND", "127.0.0.1:8001")
worker_class = "gthread"
workers = int(os.environ.get("VRU_GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("VRU_GUNICORN_THREADS", 4))
# A request that takes longer is stopped and logged; pages answer in well under a second.
timeout = 30
graceful_timeout = 30
# nginx keeps connections to gunicorn open (upstream keepalive); a little longer than nginx's idle time.
keepalive = 75
# Start each worker afresh now and then, at different times, so memory cannot creep up for ever.
max_requests = 2000
max_requests_jitter = 200
# Request line and headers: gunicorn's own limits, written out so they are reviewed with nginx's.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# nginx sets X-Forwarded-Proto; gunicorn believes it from nginx only.
forwarded_allow_ips = os.environ.get("VRU_TRUSTED_PROXY_ADDRESSES", "127.0.0.1")
# Access log to stderr (journald or the service manager keeps it) with the path only: never the query
# string, which on /worried-about-someone/ and /resources/ holds what a person searched for, and no
# Referer, which can hold the previous page's query string.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("VRU_GUNICORN_LOG_LEVEL", "info")
# No runtime control socket (gunicorn 25+): the service manager's signals (HUP to reload, TERM to stop) are
# the one way to manage it, and two portals on one machine would otherwise share one socket path.
control_socket_disable = True
