"""Central-service client, outbox, configuration sync, sessions and device supervisors."""
