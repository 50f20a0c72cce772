"""The local multi-region lab (development only, not in the wheel): the deployment `make serve` runs
(cluster.py), latency routing on Route 53's failover signal (router.py, failover.py), the global table
EVENTUAL (replicator.py) and STRONG (strong.py, the MRSC model), fault injection (faults.py), the retrying
client and the drills (client.py, releases.py, release_drill.py)."""
