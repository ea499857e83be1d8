"""What the tests and the production tools (benchmarks, `bench` commands) share: the live server
(gunicorn, `bench serve`, a worker), the REST client, the data factories, `eventually` and the
sweep that removes what a black-box test committed. Never imports test code."""
