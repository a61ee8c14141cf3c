"""A mail backend that takes its time and records every message it sends, from any thread."""

import threading
import time

from django.core.mail.backends.base import BaseEmailBackend

sent = []
_lock = threading.Lock()


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages):
        time.sleep(0.005)  # long enough for another sender to read the same message meanwhile
        with _lock:
            sent.extend(email_messages)
        return len(email_messages)
