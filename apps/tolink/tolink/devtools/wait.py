"""Wait for something instead of sleeping for a fixed time."""

import time


def eventually(check, timeout: float = 30, interval: float = 0.2, message: str | None = None):
	"""Call `check` until it returns something truthy (returned) or `timeout` seconds pass.

	An exception raised by `check` counts as "not yet"; on timeout it is chained to the
	TimeoutError, along with the last value, so the failure says what was seen."""
	deadline = time.monotonic() + timeout
	last, error = None, None
	while True:
		try:
			last, error = check(), None
			if last:
				return last
		except Exception as e:
			error = e
		if time.monotonic() >= deadline:
			break
		time.sleep(interval)
	what = message or getattr(check, "__name__", "the condition")
	raise TimeoutError(f"{what}: not true within {timeout}s (last: {last!r})") from error
