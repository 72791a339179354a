"""End-to-end: the stack `make run` starts, as a real process, driven over HTTP and Cognito."""
