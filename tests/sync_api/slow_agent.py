"""The real agent with slow downloads, so that a test can kill it half-way through a file; the delay is injected
here, never read by the agent's own code.

    python tests/sync_api/slow_agent.py SECONDS_PER_CHUNK billsync-arguments…
"""

import sys
import time
from collections.abc import Iterator

from billsync.agent import Agent
from billsync.cli import main

if __name__ == "__main__":
    delay = float(sys.argv[1])
    chunks = Agent._chunks

    def slow_chunks(response) -> Iterator[bytes]:
        for chunk in chunks(response):
            time.sleep(delay)
            yield chunk

    Agent._chunks = staticmethod(slow_chunks)
    sys.exit(main(sys.argv[2:]))
