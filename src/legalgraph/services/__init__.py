"""Services between the front-ends (CLI, web) and the store: each takes plain inputs and returns plain results."""
