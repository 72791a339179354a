"""Load test of the local stack: locust users over loopback, then a no-loss check."""
